// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config supplies the include directory).
#include <cblas.h>
