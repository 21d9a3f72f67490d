// SPDX-License-Identifier: GPL-2.0
/*
 * mr-jflat: read one JSON document on stdin and print each scalar in it as
 * a line "PATH=VALUE", PATH the keys and array indexes from the top joined
 * by dots (locks.0.owner.pid=123), strings unquoted, for lab scenarios that
 * check `modrescue ... --json` with grep, sed and awk (busybox has no jq).
 * An empty object or array prints "PATH={}" or "PATH=[]". Exits 1 when
 * stdin is not JSON.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void flatten(const char *path, struct json_object *o);

static void child(const char *path, const char *key, struct json_object *o)
{
	size_t len = strlen(path) + strlen(key) + 2;
	char *p = malloc(len);

	if (!p) {
		perror("mr-jflat");
		exit(1);
	}
	snprintf(p, len, "%s%s%s", path, *path ? "." : "", key);
	flatten(p, o);
	free(p);
}

static void flatten(const char *path, struct json_object *o)
{
	char key[32];
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_object:
		if (!json_object_object_length(o))
			printf("%s={}\n", path);
		json_object_object_foreach(o, k, v) {
			child(path, k, v);
		}
		break;
	case json_type_array:
		n = json_object_array_length(o);
		if (!n)
			printf("%s=[]\n", path);
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "%zu", i);
			child(path, key, json_object_array_get_idx(o, i));
		}
		break;
	case json_type_null:
		printf("%s=null\n", path);
		break;
	default:
		printf("%s=%s\n", path, json_object_get_string(o));
		break;
	}
}

int main(void)
{
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	struct json_object *o;

	buf[n] = '\0';
	o = json_tokener_parse(buf);
	if (!o) {
		fprintf(stderr, "mr-jflat: stdin is not JSON\n");
		return 1;
	}
	flatten("", o);
	json_object_put(o);
	return 0;
}
