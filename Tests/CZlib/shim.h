#ifndef CASEBOOK_CZLIB_SHIM_H
#define CASEBOOK_CZLIB_SHIM_H
// Test-only: zlib decompresses the CCTV age vectors marked "compressed: zlib".
#include <zlib.h>

// inflateInit is a macro; give Swift a function to call.
static inline int czlib_inflate_init(z_stream *stream) {
    return inflateInit(stream);
}
#endif
