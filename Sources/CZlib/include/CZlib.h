#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

/// `inflateInit2` is a macro; Swift needs a real function. windowBits 15+32 accepts gzip and zlib headers,
/// 15+16 gzip only. We pass it through so the caller chooses.
int czlib_inflate_init2(z_stream *stream, int windowBits);

/// `deflateInit2` is a macro too (used to store raw JSON compressed as gzip).
int czlib_deflate_init2(z_stream *stream, int level, int windowBits);
#endif
