#include "json_min.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NODES 40000
static jnode nodes[MAX_NODES];
static int used;
static const char *p, *end;

static void ws(void) {
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
}

static int value(void);

static int new_node(int type) {
  if (used == MAX_NODES) return -1;
  nodes[used].type = type;
  nodes[used].child = nodes[used].next = -1;
  nodes[used].key = NULL;
  nodes[used].key_len = 0;
  return used++;
}

static int string(const char **s, size_t *len) {
  if (p >= end || *p != '"') return -1;
  *s = ++p;
  while (p < end && *p != '"') {
    if (*p == '\\') p++;
    p++;
  }
  if (p >= end) return -1;
  *len = (size_t)(p - *s);
  p++;
  return 0;
}

static int container(int type, char close) {
  int n = new_node(type), last = -1;
  if (n < 0) return -1;
  p++;
  ws();
  if (p < end && *p == close) {
    p++;
    return n;
  }
  for (;;) {
    const char *k = NULL;
    size_t kl = 0;
    int v;
    ws();
    if (type == J_OBJ) {
      if (string(&k, &kl)) return -1;
      ws();
      if (p >= end || *p != ':') return -1;
      p++;
    }
    v = value();
    if (v < 0) return -1;
    nodes[v].key = k;
    nodes[v].key_len = kl;
    if (last < 0) nodes[n].child = v;
    else nodes[last].next = v;
    last = v;
    ws();
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    if (p < end && *p == close) {
      p++;
      return n;
    }
    return -1;
  }
}

static int value(void) {
  int n;
  ws();
  if (p >= end) return -1;
  if (*p == '{') return container(J_OBJ, '}');
  if (*p == '[') return container(J_ARR, ']');
  if (*p == '"') {
    n = new_node(J_STR);
    if (n < 0 || string(&nodes[n].s, &nodes[n].len)) return -1;
    return n;
  }
  n = new_node((*p == '-' || (*p >= '0' && *p <= '9')) ? J_NUM : J_LIT);
  if (n < 0) return -1;
  nodes[n].s = p;
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\r') p++;
  nodes[n].len = (size_t)(p - nodes[n].s);
  return n;
}

int j_parse(const char *text, size_t len) {
  int root;
  p = text;
  end = text + len;
  used = 0;
  root = value();
  ws();
  return (root >= 0 && p == end) ? root : -1;
}

const jnode *j_node(int i) { return &nodes[i]; }

int j_get(int obj, const char *name) {
  int c;
  size_t n = strlen(name);
  if (obj < 0) return -1;
  for (c = nodes[obj].child; c >= 0; c = nodes[c].next) {
    if (nodes[c].key_len == n && memcmp(nodes[c].key, name, n) == 0) return c;
  }
  return -1;
}

int j_first(int arr) { return arr < 0 ? -1 : nodes[arr].child; }
int j_next(int i) { return nodes[i].next; }

int j_count(int arr) {
  int n = 0, c;
  for (c = j_first(arr); c >= 0; c = j_next(c)) n++;
  return n;
}

long long j_int(int i) {
  char buf[32];
  size_t n = nodes[i].len < 31 ? nodes[i].len : 31;
  memcpy(buf, nodes[i].s, n);
  buf[n] = 0;
  return strtoll(buf, NULL, 10);
}

void j_str(int i, char *buf, size_t cap) {
  size_t n = nodes[i].len < cap - 1 ? nodes[i].len : cap - 1;
  memcpy(buf, nodes[i].s, n);
  buf[n] = 0;
}

int j_str_eq(int i, const char *s) {
  size_t n = strlen(s);
  return i >= 0 && nodes[i].type == J_STR && nodes[i].len == n && memcmp(nodes[i].s, s, n) == 0;
}
