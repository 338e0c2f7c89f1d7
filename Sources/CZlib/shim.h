#include <zlib.h>

/* inflateInit2 is a macro (it passes the library version and struct size), which Swift
   cannot call: this wrapper opens a gzip-only inflate stream (window 15, +16 for gzip). */
static inline int czlib_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
