#ifndef COVENANT_CYAML_SHIM_H
#define COVENANT_CYAML_SHIM_H
#include <yaml.h>
#endif
