#ifndef COVENANT_CSQLITE_SHIM_H
#define COVENANT_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
