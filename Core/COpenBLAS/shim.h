// Debian's libopenblas-dev puts cblas.h under the openblas-pthread include path that
// pkg-config reports.
#include <cblas.h>
