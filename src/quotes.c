/* quotes.c: quotation marks, their pairing into quotations, and nesting.
 *
 * One pass over the tokens with a small, bounded stack of open marks. Curly
 * marks say which way they face; straight marks (" and ') and the doubled
 * stand-ins (`` '' ’’) are read from the spacing around them and, when that
 * does not tell, from whether a quotation of their kind is open. A ’ or '
 * that closes nothing is an apostrophe (Jones’, rock 'n' roll). Open marks
 * never outlive their paragraph: a paragraph that ends inside a quotation
 * either continues into the next one (which reopens with a mark, the news
 * convention) or is left unclosed.
 *
 * Kinds (direct, partial, term) need to know about attribution, so the
 * final kind is set by speakers.c through vb_quote_classify().
 */
#include "speech.h"

enum { CLS_NONE = 0, CLS_DOUBLE = 1, CLS_SINGLE = 2 };
enum { DIR_OPEN = 1, DIR_CLOSE = 2, DIR_AMBIG = 3 };

#define MAX_DEPTH 16
#define DEAD 0xFF /* kind of a quotation that was abandoned */

typedef struct {
  uint8_t cls, dir;
} mark;

static mark classify_mark(const vb_token *t) {
  uint32_t len = t->end - t->start;
  mark m = {CLS_NONE, 0};
  switch (t->cp) {
  case 0x201C: case 0x201E: case 0x201F: case 0x00AB: case 0x300C: case 0x300E:
    m.cls = CLS_DOUBLE, m.dir = DIR_OPEN;
    break;
  case 0x201D: case 0x00BB: case 0x300D: case 0x300F:
    m.cls = CLS_DOUBLE, m.dir = DIR_CLOSE;
    break;
  case '"': case 0xFF02:
    m.cls = CLS_DOUBLE, m.dir = DIR_AMBIG;
    break;
  case 0x2018:
    m.cls = len > 3 ? CLS_DOUBLE : CLS_SINGLE, m.dir = DIR_OPEN;
    break;
  case 0x2019:
    if (len > 3) m.cls = CLS_DOUBLE, m.dir = DIR_AMBIG;
    else m.cls = CLS_SINGLE, m.dir = DIR_CLOSE;
    break;
  case '\'':
    m.cls = len > 1 ? CLS_DOUBLE : CLS_SINGLE, m.dir = DIR_AMBIG;
    break;
  case '`':
    m.cls = len > 1 ? CLS_DOUBLE : CLS_SINGLE, m.dir = DIR_OPEN;
    break;
  case 0x201A: case 0x201B: case 0x2039:
    m.cls = CLS_SINGLE, m.dir = DIR_OPEN;
    break;
  case 0x203A:
    m.cls = CLS_SINGLE, m.dir = DIR_CLOSE;
    break;
  case 0xFF07:
    m.cls = CLS_SINGLE, m.dir = DIR_AMBIG;
    break;
  default:
    break;
  }
  return m;
}

/* Punctuation after which a mark still counts as opening: "(“", "—'". */
static int is_opening_punct(const vb_token *t) {
  switch (t->cp) {
  case '(': case '[': case '{': case 0x2014: case 0x2013: case '-': case '/': case 0x2026:
    return 1;
  default:
    return 0;
  }
}

/* Punctuation before which a mark still counts as closing: "”,", "'." */
static int is_closing_punct(const vb_token *t) {
  switch (t->cp) {
  case ',': case '.': case ';': case ':': case '!': case '?': case ')': case ']': case '}':
  case 0x2014: case 0x2013: case 0x2026:
    return 1;
  default:
    return 0;
  }
}

/* A mark is left-flanking (it can open) when a word follows it directly, and
 * right-flanking (it can close) when it directly follows a word. */
static int left_flanking(const vb_doc *d, size_t i) {
  const vb_token *t = &d->toks[i];
  if (i + 1 >= d->ntoks || (t->flags & VB_TOK_SPACE_AFTER)) return 0;
  const vb_token *n = &d->toks[i + 1];
  if (n->flags & VB_TOK_PARA) return 0;
  return !is_closing_punct(n);
}

static int right_flanking(const vb_doc *d, size_t i) {
  const vb_token *t = &d->toks[i];
  if (i == 0 || (t->flags & (VB_TOK_SPACE | VB_TOK_PARA))) return 0;
  const vb_token *p = &d->toks[i - 1];
  if (is_opening_punct(p)) return 0;
  /* after another mark that itself starts a word: "‘ */
  if ((p->flags & VB_TOK_QUOTE) && (i == 1 || (p->flags & (VB_TOK_SPACE | VB_TOK_PARA)))) return 0;
  return 1;
}

typedef struct {
  uint32_t quote; /* index in d->quotes */
  uint32_t words; /* words seen before it opened */
  uint8_t cls;
} open_mark;

typedef struct {
  vb_doc *d;
  open_mark stack[MAX_DEPTH];
  int depth;
  uint32_t words; /* words and numbers seen so far */
  int32_t carry; /* outermost double quotation left open by the last paragraph */
} scanner;

static int find_open(const scanner *s, uint8_t cls) {
  for (int k = s->depth - 1; k >= 0; k--)
    if (s->stack[k].cls == cls) return k;
  return -1;
}

static void kill_quote(vb_doc *d, uint32_t qi) { d->quotes[qi].kind = DEAD; }

static int open_quote(scanner *s, size_t i, uint8_t cls) {
  vb_doc *d = s->d;
  if (s->depth >= MAX_DEPTH) return 0; /* too deep: the mark is ignored */
  vb_iquote q;
  memset(&q, 0, sizeof q);
  q.start = d->toks[i].start;
  q.inner_start = d->toks[i].end;
  q.tok_start = (uint32_t)i + 1;
  q.kind = VB_QUOTE_DIRECT;
  q.speaker_start = q.speaker_end = q.speaker_name = VB_NONE;
  q.cue_start = q.cue_end = VB_NONE;
  q.prev_part = -1;
  if (s->depth > 0) q.flags |= VB_QUOTE_NESTED;
  if (VB_PUSH(d->quotes, d->nquotes, d->cquotes, q)) return VB_ERR_NOMEM;
  s->stack[s->depth].quote = (uint32_t)(d->nquotes - 1);
  s->stack[s->depth].cls = cls;
  s->stack[s->depth].words = s->words;
  s->depth++;
  return 0;
}

/* Close the open mark at stack level k with the mark at token i; marks
 * opened above it are abandoned. */
static void close_quote(scanner *s, int k, size_t i) {
  vb_doc *d = s->d;
  for (int j = s->depth - 1; j > k; j--) kill_quote(d, s->stack[j].quote);
  vb_iquote *q = &d->quotes[s->stack[k].quote];
  q->end = d->toks[i].end;
  q->inner_end = d->toks[i].start;
  q->tok_end = (uint32_t)i;
  /* marks around nothing but punctuation quote nothing */
  if (q->tok_end <= q->tok_start || s->words == s->stack[k].words) kill_quote(d, s->stack[k].quote);
  s->depth = k;
}

/* The paragraph ended before token `next` (d->ntoks at the end of text). */
static void end_paragraph(scanner *s, size_t next) {
  vb_doc *d = s->d;
  s->carry = -1;
  for (int k = 0; k < s->depth; k++) {
    uint32_t qi = s->stack[k].quote;
    vb_iquote *q = &d->quotes[qi];
    if (s->stack[k].cls != CLS_DOUBLE || next == 0 || q->tok_start >= next ||
        s->words == s->stack[k].words) {
      kill_quote(d, qi);
      continue;
    }
    q->end = q->inner_end = d->toks[next - 1].end;
    q->tok_end = (uint32_t)next;
    q->flags |= VB_QUOTE_UNCLOSED;
    if (s->carry < 0) s->carry = (int32_t)qi;
  }
  s->depth = 0;
}

/* A double mark that can only close, with nothing open: the checker's
 * unbalanced-quote reports it. */
static int stray_mark(scanner *s, size_t i) {
  uint32_t t = (uint32_t)i;
  return VB_PUSH(s->d->strays, s->d->nstrays, s->d->cstrays, t) ? VB_ERR_NOMEM : 0;
}

static int scan_mark(scanner *s, size_t i) {
  vb_doc *d = s->d;
  mark m = classify_mark(&d->toks[i]);
  if (m.cls == CLS_NONE) return 0;
  int lf = left_flanking(d, i), rf = right_flanking(d, i);
  int k = find_open(s, m.cls);
  int dir = m.dir;
  if (m.cls == CLS_DOUBLE) {
    if (dir == DIR_AMBIG) {
      if (lf && !rf) dir = DIR_OPEN;
      else if (rf && !lf) dir = DIR_CLOSE;
      else dir = k >= 0 ? DIR_CLOSE : DIR_OPEN;
      if (dir == DIR_CLOSE && k < 0) return stray_mark(s, i);
    } else if (dir == DIR_OPEN && k >= 0 && rf && !lf) {
      dir = DIR_CLOSE; /* a mark typed the wrong way round: word“ */
    } else if (dir == DIR_CLOSE && k < 0) {
      /* ” typed for “; at a paragraph's start it can only open */
      if (!(lf && !rf) && !(d->toks[i].flags & VB_TOK_PARA)) return stray_mark(s, i);
      dir = DIR_OPEN;
    }
    if (dir == DIR_CLOSE) {
      close_quote(s, k, i);
      return 0;
    }
    if (k >= 0) { /* a double mark reopens: the earlier one was never closed */
      for (int j = s->depth - 1; j >= k; j--) kill_quote(d, s->stack[j].quote);
      s->depth = k;
    }
  } else {
    /* single marks: only as quotation marks when they pair up */
    if (dir == DIR_AMBIG) {
      if (k >= 0 && rf) dir = DIR_CLOSE;
      else if (lf && !rf) dir = DIR_OPEN;
      else return 0;
    } else if (dir == DIR_CLOSE) {
      if (k < 0) {
        if (!(lf && !rf)) return 0; /* an apostrophe: Jones’ */
        dir = DIR_OPEN;
      }
    } else if (k >= 0 && rf && !lf) {
      dir = DIR_CLOSE;
    }
    if (dir == DIR_CLOSE) {
      close_quote(s, k, i);
      return 0;
    }
  }
  int rc = open_quote(s, i, m.cls);
  if (rc) return rc;
  /* a paragraph that reopens a quotation left open by the previous one */
  if (s->carry >= 0 && (d->toks[i].flags & VB_TOK_PARA) && m.cls == CLS_DOUBLE) {
    vb_iquote *prev = &d->quotes[s->carry];
    vb_iquote *q = &d->quotes[d->nquotes - 1];
    prev->flags &= (uint8_t)~VB_QUOTE_UNCLOSED;
    q->flags |= VB_QUOTE_CONTINUED;
    q->prev_part = s->carry;
  }
  return 0;
}

/* Drop abandoned quotations and renumber the links between parts. */
static int compact(vb_doc *d) {
  if (d->nquotes == 0) return 0;
  int32_t *map = malloc(d->nquotes * sizeof *map);
  if (!map) return VB_ERR_NOMEM;
  size_t n = 0;
  for (size_t i = 0; i < d->nquotes; i++) {
    if (d->quotes[i].kind == DEAD) {
      map[i] = -1;
      continue;
    }
    map[i] = (int32_t)n;
    d->quotes[n++] = d->quotes[i];
  }
  for (size_t i = 0; i < n; i++) {
    vb_iquote *q = &d->quotes[i];
    if (q->prev_part >= 0) q->prev_part = map[q->prev_part];
    if (q->prev_part < 0) q->flags &= (uint8_t)~VB_QUOTE_CONTINUED;
  }
  free(map);
  d->nquotes = n;
  return 0;
}

int vb_quotes_find(vb_corpus *c, vb_doc *d) {
  scanner s;
  memset(&s, 0, sizeof s);
  s.d = d;
  s.carry = -1;
  d->nquotes = d->nstrays = 0;
  for (size_t i = 0; i < d->ntoks; i++) {
    const vb_token *t = &d->toks[i];
    if ((t->flags & VB_TOK_PARA) && i > 0) end_paragraph(&s, i);
    else if (t->flags & VB_TOK_PARA) s.carry = -1;
    if (!(t->flags & VB_TOK_QUOTE)) {
      if (t->flags & (VB_TOK_WORD | VB_TOK_NUM)) s.words++;
      if (t->flags & VB_TOK_PARA) s.carry = -1;
      continue;
    }
    if (scan_mark(&s, i)) return vb_fail(c, VB_ERR_NOMEM, "out of memory finding quotations in %s", d->name);
    if (t->flags & VB_TOK_PARA) s.carry = -1;
  }
  end_paragraph(&s, d->ntoks);
  if (compact(d)) return vb_fail(c, VB_ERR_NOMEM, "out of memory finding quotations in %s", d->name);
  return 0;
}

/* ------------------------------------------------------------------ kinds */

/* Small words that may stand lower case inside a title ("Raiders of the Lost
 * Ark"); matched by their ASCII spelling. */
static int is_minor_word(const vb_doc *d, const vb_token *t) {
  static const char two[][3] = {"of", "in", "on", "an", "to", "at", "de", "by", "or"};
  const char *s = d->text + t->start;
  switch (t->end - t->start) {
  case 1:
    return s[0] == 'a';
  case 2:
    for (size_t k = 0; k < sizeof two / sizeof *two; k++)
      if (s[0] == two[k][0] && s[1] == two[k][1]) return 1;
    return 0;
  case 3:
    return memcmp(s, "the", 3) == 0 || memcmp(s, "and", 3) == 0 || memcmp(s, "for", 3) == 0;
  case 4:
    return memcmp(s, "with", 4) == 0;
  default:
    return 0;
  }
}

int vb_quote_is_single(const vb_doc *d, const vb_iquote *q) {
  return q->tok_start > 0 && classify_mark(&d->toks[q->tok_start - 1]).cls == CLS_SINGLE;
}

vb_quote_kind vb_quote_classify(const vb_doc *d, const vb_iquote *q, int attributed) {
  uint32_t words = 0, capitals = 0, inner_punct = 0;
  int first_upper = -1;
  for (uint32_t t = q->tok_start; t < q->tok_end && words < 16; t++) {
    const vb_token *k = &d->toks[t];
    if (k->flags & (VB_TOK_WORD | VB_TOK_NUM)) {
      words++;
      if (first_upper < 0) first_upper = (k->flags & VB_TOK_UPPER) != 0;
      if ((k->flags & (VB_TOK_UPPER | VB_TOK_NUM)) || is_minor_word(d, k)) capitals++;
    } else if (k->cp == '.' || k->cp == ',' || k->cp == '!' || k->cp == '?' || k->cp == ';' ||
               k->cp == ':') {
      if (t + 1 == q->tok_end && (k->cp == ',' || k->cp == '.')) continue; /* "Hannity," */
      if (!(t > q->tok_start && (d->toks[t - 1].flags & VB_TOK_ABBR))) inner_punct++;
    }
  }
  if (words == 0) return VB_QUOTE_TERM;
  const vb_token *opener = &d->toks[q->tok_start - 1];
  /* by the mark's class: the doubled stand-in '' is a double mark */
  int single = vb_quote_is_single(d, q);
  /* single marks with no speaker: headlines, names, sayings */
  if (single && !attributed) return VB_QUOTE_TERM;
  /* an attribute value in markup: id="..." */
  if (q->tok_start >= 2 && d->toks[q->tok_start - 2].cp == '=' && !(opener->flags & VB_TOK_SPACE))
    return VB_QUOTE_TERM;
  int titlelike = capitals == words && first_upper == 1 && words <= 5 && inner_punct == 0;
  int sentence = first_upper == 1 && q->tok_end > q->tok_start &&
                 (d->toks[q->tok_end - 1].cp == '.' || d->toks[q->tok_end - 1].cp == '!' ||
                  d->toks[q->tok_end - 1].cp == '?');
  if (attributed == 2 && sentence) return VB_QUOTE_DIRECT; /* speech continuing */
  if (attributed == 3) return first_upper == 1 ? VB_QUOTE_DIRECT : VB_QUOTE_PARTIAL;
  if (attributed == 4) attributed = 1, titlelike = 0; /* a name someone gave: their words */
  if (attributed != 1 && (words <= 3 || titlelike)) return VB_QUOTE_TERM;
  if (titlelike && words >= 2) return VB_QUOTE_TERM;
  /* a sentence of its own, or one introduced by ":" or "," */
  uint32_t open = q->tok_start - 1;
  int introduced = open == 0 || (d->toks[open].flags & (VB_TOK_SENT | VB_TOK_PARA));
  if (!introduced && open > 0) {
    uint16_t cp = d->toks[open - 1].cp;
    introduced = cp == ':' || cp == ',' || cp == 0x2014;
  }
  if (first_upper == 1 && (introduced || inner_punct > 0) && words >= 3) return VB_QUOTE_DIRECT;
  return VB_QUOTE_PARTIAL;
}
