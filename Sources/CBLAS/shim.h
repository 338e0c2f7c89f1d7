// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h on the include path).
#include <cblas.h>
// Thread-count control is an OpenBLAS extension, declared in cblas.h as well.
