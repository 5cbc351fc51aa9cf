/* A minimal JSON reader for the shape of test-vectors.json (test code only, host only).
   Parses a whole document into a static node pool; strings keep their raw bytes (the vectors
   use no escapes in the fields the test reads). */
#ifndef JSON_MIN_H
#define JSON_MIN_H

#include <stddef.h>

enum { J_NONE, J_OBJ, J_ARR, J_STR, J_NUM, J_LIT };

typedef struct {
  int type;
  const char *s; /* J_STR: content; J_NUM/J_LIT: text */
  size_t len;
  const char *key; /* member name inside an object */
  size_t key_len;
  int child, next; /* node indices, -1 when none */
} jnode;

/* Parses text; returns the root index or -1. */
int j_parse(const char *text, size_t len);
const jnode *j_node(int i);
/* Member of an object by name, -1 if absent. */
int j_get(int obj, const char *name);
int j_first(int arr);
int j_next(int i);
int j_count(int arr);
long long j_int(int i);
/* Copies a string node (NUL-terminated, cut to cap - 1). */
void j_str(int i, char *buf, size_t cap);
int j_str_eq(int i, const char *s);

#endif
