// External scanner for the Preflight nginx grammar (MIT).
//
// Lexes what nginx's tokenizer decides with context a regular grammar cannot
// express cleanly: unquoted words (a `{` ends a word unless it follows `$`,
// a backslash escapes the next character), names ending in `_by_lua_block`,
// the raw Lua body of such a block (balanced braces, Lua strings, long
// brackets and comments), quoted strings (to see what follows the closing
// quote), and the two runs nginx rejects: unquoted words whose braces it would
// split, and quoted strings glued to the next token.
// The scanner is stateless.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum TokenType {
  WORD,
  LUA_BLOCK_NAME,
  LUA_CODE,
  UNQUOTED_BRACES,
  STRING,
  UNSEPARATED_STRING,
  ERROR_SENTINEL,
};

static const char LUA_SUFFIX[] = "_by_lua_block";
#define LUA_SUFFIX_LEN (sizeof(LUA_SUFFIX) - 1)

static inline bool is_space(int32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

// After a `{` that ends a word: is the next token a word (not a `}` closing
// the block, a comment or a string) holding a `}` before the next whitespace,
// `;` or `{`? Then the braces belong to a regex quantifier nginx splits.
static bool run_has_close_brace(TSLexer *lexer) {
  switch (lexer->lookahead) {
    case '}':
    case '#':
    case '"':
    case '\'':
      return false;
    default:
      break;
  }
  bool found = false;
  while (!lexer->eof(lexer) && !is_space(lexer->lookahead) && lexer->lookahead != ';' &&
         lexer->lookahead != '{') {
    if (lexer->lookahead == '}') found = true;
    if (lexer->lookahead == '\\') advance(lexer);
    if (!lexer->eof(lexer)) advance(lexer);
  }
  return found;
}

// Consumes the rest of a broken word through its last brace run.
static void consume_broken_word(TSLexer *lexer) {
  while (!lexer->eof(lexer) && !is_space(lexer->lookahead) && lexer->lookahead != ';') {
    if (lexer->lookahead == '\\') advance(lexer);
    if (!lexer->eof(lexer)) advance(lexer);
  }
  lexer->mark_end(lexer);
}

static bool finish_word(TSLexer *lexer, const bool *valid_symbols, bool recovering,
                        const char *tail, size_t length, bool ascii) {
  if (!recovering && valid_symbols[LUA_BLOCK_NAME] && ascii && length > LUA_SUFFIX_LEN &&
      memcmp(tail, LUA_SUFFIX, LUA_SUFFIX_LEN) == 0) {
    lexer->result_symbol = LUA_BLOCK_NAME;
    return true;
  }
  lexer->result_symbol = WORD;
  return true;
}

// At an opening quote: the string through its closing quote (or the end of
// input). nginx then demands whitespace, `;`, `{` or `)`; anything else glued
// to the string makes the whole run an UNSEPARATED_STRING.
static bool scan_string(TSLexer *lexer) {
  int32_t quote = lexer->lookahead;
  advance(lexer);
  while (!lexer->eof(lexer) && lexer->lookahead != quote) {
    if (lexer->lookahead == '\\') advance(lexer);
    if (!lexer->eof(lexer)) advance(lexer);
  }
  if (!lexer->eof(lexer)) advance(lexer);
  lexer->mark_end(lexer);
  int32_t c = lexer->lookahead;
  if (lexer->eof(lexer) || is_space(c) || c == ';' || c == '{' || c == ')') {
    lexer->result_symbol = STRING;
    return true;
  }
  // The glued run ends where a word would, or at a `}` so the block it
  // closes keeps its structure.
  while (!lexer->eof(lexer) && !is_space(lexer->lookahead) && lexer->lookahead != ';' &&
         lexer->lookahead != '{' && lexer->lookahead != '}') {
    advance(lexer);
  }
  lexer->mark_end(lexer);
  lexer->result_symbol = UNSEPARATED_STRING;
  return true;
}

static bool scan_word(TSLexer *lexer, const bool *valid_symbols, bool recovering) {
  while (is_space(lexer->lookahead)) skip(lexer);
  if (lexer->eof(lexer)) return false;
  switch (lexer->lookahead) {
    case '"':
    case '\'':
      return (valid_symbols[STRING] || recovering) && scan_string(lexer);
    case ';':
    case '{':
    case '}':
    case '#':
      return false;
    default:
      break;
  }

  // The last characters of the word, to recognise `*_by_lua_block`.
  char tail[LUA_SUFFIX_LEN] = {0};
  size_t length = 0;
  bool variable = false;
  bool ascii = true;
  for (;;) {
    if (lexer->eof(lexer)) break;
    int32_t c = lexer->lookahead;
    if (is_space(c) || c == ';') break;
    if (c == '{') {
      if (variable) {
        variable = false;
      } else {
        lexer->mark_end(lexer);
        advance(lexer);
        if (run_has_close_brace(lexer)) {
          consume_broken_word(lexer);
          lexer->result_symbol = UNQUOTED_BRACES;
          return true;
        }
        return finish_word(lexer, valid_symbols, recovering, tail, length, ascii);
      }
    } else if (c == '\\') {
      variable = false;
      advance(lexer);
      length++;
      if (lexer->eof(lexer)) break;
      c = lexer->lookahead;
    } else {
      variable = c == '$';
    }
    if (c > 127) ascii = false;
    memmove(tail, tail + 1, LUA_SUFFIX_LEN - 1);
    tail[LUA_SUFFIX_LEN - 1] = (char)c;
    length++;
    advance(lexer);
  }
  lexer->mark_end(lexer);
  return finish_word(lexer, valid_symbols, recovering, tail, length, ascii);
}

// At `[`: consumes `[`, `=`* and, if a second `[` follows, returns the level
// (number of `=`) of the long bracket; otherwise -1 (what was read is plain code).
static int long_bracket_open(TSLexer *lexer) {
  advance(lexer);
  int level = 0;
  while (lexer->lookahead == '=') {
    level++;
    advance(lexer);
  }
  if (lexer->lookahead != '[') return -1;
  advance(lexer);
  return level;
}

// Consumes up to and including `]` `=`*level `]`, or to the end of input.
static void long_bracket_close(TSLexer *lexer, int level) {
  while (!lexer->eof(lexer)) {
    if (lexer->lookahead != ']') {
      advance(lexer);
      continue;
    }
    advance(lexer);
    int seen = 0;
    while (lexer->lookahead == '=') {
      seen++;
      advance(lexer);
    }
    if (seen == level && lexer->lookahead == ']') {
      advance(lexer);
      return;
    }
  }
}

static bool scan_lua_code(TSLexer *lexer) {
  while (is_space(lexer->lookahead)) skip(lexer);
  bool has_content = false;
  unsigned depth = 0;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if (is_space(c)) {
      advance(lexer);
      continue;
    }
    if (c == '}') {
      if (depth == 0) break;
      depth--;
      advance(lexer);
    } else if (c == '{') {
      depth++;
      advance(lexer);
    } else if (c == '"' || c == '\'') {
      advance(lexer);
      while (!lexer->eof(lexer) && lexer->lookahead != c && lexer->lookahead != '\n') {
        if (lexer->lookahead == '\\') advance(lexer);
        if (!lexer->eof(lexer)) advance(lexer);
      }
      if (lexer->lookahead == c) advance(lexer);
    } else if (c == '[') {
      int level = long_bracket_open(lexer);
      if (level >= 0) long_bracket_close(lexer, level);
    } else if (c == '-') {
      advance(lexer);
      if (lexer->lookahead == '-') {
        advance(lexer);
        int level = lexer->lookahead == '[' ? long_bracket_open(lexer) : -1;
        if (level >= 0) {
          long_bracket_close(lexer, level);
        } else {
          while (!lexer->eof(lexer) && lexer->lookahead != '\n') advance(lexer);
        }
      }
    } else {
      advance(lexer);
    }
    has_content = true;
    lexer->mark_end(lexer);
  }
  if (!has_content) return false;
  lexer->result_symbol = LUA_CODE;
  return true;
}

void *tree_sitter_nginx_external_scanner_create(void) { return NULL; }

void tree_sitter_nginx_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_nginx_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_nginx_external_scanner_deserialize(void *payload, const char *buffer,
                                                    unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

bool tree_sitter_nginx_external_scanner_scan(void *payload, TSLexer *lexer,
                                            const bool *valid_symbols) {
  (void)payload;
  // During error recovery every symbol is valid: lex words only, never a Lua
  // body, which could swallow the rest of the file.
  bool recovering = valid_symbols[ERROR_SENTINEL];
  if (!recovering && valid_symbols[LUA_CODE]) return scan_lua_code(lexer);
  if (valid_symbols[WORD] || valid_symbols[LUA_BLOCK_NAME] || valid_symbols[STRING] || recovering) {
    return scan_word(lexer, valid_symbols, recovering);
  }
  return false;
}
