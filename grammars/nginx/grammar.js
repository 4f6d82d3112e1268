/**
 * @file nginx configuration grammar for Preflight.
 * @license MIT
 *
 * Follows nginx's own tokenizer (ngx_conf_read_token in src/core/ngx_conf_file.c):
 * a statement is `name argument* (";" | block)`, a block is `{ statement* }`.
 * Words, strings, `*_by_lua_block` names and raw Lua bodies are lexed by the
 * external scanner (src/scanner.c); comments and punctuation here.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

module.exports = grammar({
  name: 'nginx',

  externals: $ => [
    // An unquoted word: ends at whitespace, `;` or `{` (but `${` stays inside).
    $.word,
    // A word that ends in `_by_lua_block`, in statement-name position.
    $._lua_block_name,
    // The raw Lua text between the braces of a `*_by_lua_block`.
    $.lua_code,
    // An unquoted word whose `{` nginx would take as a block start although a
    // `}` follows in the same run (`^/\d{1,3}$`). No rule accepts it, so the
    // tree holds an ERROR wrapping it exactly where nginx fails.
    $.unquoted_braces,
    // A quoted string (`"..."`, `'...'`, backslash escapes kept verbatim); may
    // hold `;`, `{`, `}` and newlines.
    $.string,
    // A quoted string glued to what follows (`"a"b`, `"a"}`): nginx demands
    // whitespace, `;`, `{` or `)` after the closing quote. No rule accepts it,
    // so the tree holds an ERROR there.
    $.unseparated_string,
    // Never valid: tells the scanner that the parser is recovering from an error.
    $._error_sentinel,
  ],

  extras: $ => [/[ \t\r\n]/, $.comment],

  rules: {
    source_file: $ => repeat($._statement),

    _statement: $ => choice($.directive, alias($.lua_directive, $.directive)),

    // nginx takes the first token as the name, quoted or not (map/geo/types keys).
    directive: $ => seq(
      field('name', $._value),
      repeat(field('argument', $._value)),
      choice(';', field('body', $.block)),
    ),

    lua_directive: $ => seq(
      field('name', alias($._lua_block_name, $.word)),
      repeat(field('argument', $._value)),
      field('body', $.lua_block),
    ),

    block: $ => seq('{', repeat($._statement), '}'),

    lua_block: $ => seq('{', optional($.lua_code), '}'),

    _value: $ => choice($.word, $.string),

    // Only reached at the start of a token: inside a word `#` is a plain character.
    comment: _ => token(seq('#', /.*/)),
  },
});
