/* json.h: a small JSON writer for the command-line tool. */
#ifndef VB_JSON_H
#define VB_JSON_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
  FILE *out;
  int need_comma[64]; /* per nesting level: a value was written */
  int depth;
  int after_key;
} vb_json;

void vb_json_init(vb_json *j, FILE *out);
void vb_json_begin_object(vb_json *j);
void vb_json_end_object(vb_json *j);
void vb_json_begin_array(vb_json *j);
void vb_json_end_array(vb_json *j);
void vb_json_key(vb_json *j, const char *key);
void vb_json_string(vb_json *j, const char *s);
void vb_json_string_n(vb_json *j, const char *s, size_t n);
void vb_json_size(vb_json *j, size_t v);
void vb_json_int(vb_json *j, long long v);
void vb_json_double(vb_json *j, double v);
void vb_json_null(vb_json *j);

#endif
