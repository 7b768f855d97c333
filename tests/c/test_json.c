/* test_json.c: the buffered writer and the JSON writer, in memory and to a file. */
#include <stdlib.h>

#include "json.h"
#include "tap.h"

static char *json_of_strings(const char *s, size_t n) {
  vb_json j;
  vb_json_init_buffer(&j);
  vb_json_string_n(&j, s, n);
  return vb_json_take(&j, NULL);
}

int main(void) {
  vb_json j;
  vb_json_init_buffer(&j);
  vb_json_begin_object(&j);
  vb_json_key(&j, "a");
  vb_json_size(&j, 0);
  vb_json_key(&j, "b");
  vb_json_int(&j, -42);
  vb_json_key(&j, "list");
  vb_json_begin_array(&j);
  vb_json_size(&j, 18446744073709551615u);
  vb_json_double(&j, 0.5);
  vb_json_null(&j);
  vb_json_string(&j, NULL);
  vb_json_raw(&j, "{\"x\":[1,2]}", 11);
  vb_json_begin_object(&j);
  vb_json_end_object(&j);
  vb_json_end_array(&j);
  vb_json_end_object(&j);
  size_t len = 0;
  char *s = vb_json_take(&j, &len);
  is_str(s, "{\"a\":0,\"b\":-42,\"list\":[18446744073709551615,0.5,null,null,{\"x\":[1,2]},{}]}",
         "objects, arrays, numbers, null and a spliced value");
  is_int(len, s ? strlen(s) : 0, "take gives the length");
  free(s);
  ok(!vb_json_failed(&j), "no failure");
  vb_json_free(&j);

  char *e = json_of_strings("say \"hi\"\\\n\r\t\x01\x7f", 14);
  is_str(e, "\"say \\\"hi\\\"\\\\\\n\\r\\t\\u0001\\u007f\"", "quotes, backslash and controls escaped");
  free(e);
  e = json_of_strings("caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x93\xb0", 18);
  is_str(e, "\"caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x93\xb0\"", "valid UTF-8 passes as it is");
  free(e);
  e = json_of_strings("a\xff" "b\xc3(\xe2\x80", 7);
  is_str(e, "\"a\\ufffdb\\ufffd(\\ufffd\\ufffd\"", "invalid and cut UTF-8 become U+FFFD");
  free(e);
  e = json_of_strings("\xed\xa0\x80\xc0\xaf", 5);
  is_str(e, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"", "surrogates and overlong forms become U+FFFD");
  free(e);
  e = json_of_strings("nul\0byte", 8);
  is_str(e, "\"nul\\u0000byte\"", "a NUL inside a counted string is escaped");
  free(e);

  /* a string far larger than the flush size, in memory */
  size_t big = 3 * VB_OUT_FLUSH_AT + 17;
  char *text = malloc(big);
  for (size_t i = 0; i < big; i++) text[i] = (char)('a' + i % 26);
  e = json_of_strings(text, big);
  ok(e && strlen(e) == big + 2 && e[0] == '"' && e[big + 1] == '"' && memcmp(e + 1, text, big) == 0,
     "a long string grows the buffer");
  free(e);

  /* to a FILE: flushed in pieces, read back whole */
  FILE *f = tmpfile();
  ok(f != NULL, "tmpfile");
  if (f) {
    vb_json_init(&j, f);
    vb_json_begin_array(&j);
    for (int k = 0; k < 3; k++) vb_json_string_n(&j, text, big);
    vb_json_end_array(&j);
    ok(vb_json_finish(&j) == 0, "finish to a file succeeds");
    long size = ftell(f);
    is_int(size, 3 * (long)(big + 2) + 2 + 2, "every byte reached the file");
    rewind(f);
    char head[8] = {0};
    ok(fread(head, 1, 4, f) == 4 && memcmp(head, "[\"ab", 4) == 0, "the file starts as written");
    fclose(f);
  }
  free(text);

  /* text and JSON on one shared writer */
  vb_out o;
  vb_out_init_buffer(&o);
  vb_out_printf(&o, "%s: %zu\n", "n", (size_t)3);
  vb_json_init_out(&j, &o);
  vb_json_begin_array(&j);
  vb_json_int(&j, 1);
  vb_json_end_array(&j);
  vb_out_putc(&o, '\n');
  s = vb_out_take(&o, NULL);
  is_str(s, "n: 3\n[1]\n", "text and JSON share one writer");
  free(s);
  vb_out_free(&o);

  /* a write error is sticky and reported */
  FILE *full = fopen("/dev/full", "w");
  if (full) {
    vb_json_init(&j, full);
    vb_json_begin_array(&j);
    for (int k = 0; k < 20000; k++) vb_json_string(&j, "some words to fill the buffer");
    vb_json_end_array(&j);
    ok(vb_json_failed(&j), "a failed write is remembered");
    ok(vb_json_finish(&j) == -1, "finish reports the failure");
    fclose(full);
  } else {
    ok(1, "# SKIP no /dev/full");
    ok(1, "# SKIP no /dev/full");
  }
  return done_testing();
}
