#ifndef CASEBOOK_CSODIUM_SHIM_H
#define CASEBOOK_CSODIUM_SHIM_H
#include <sodium.h>
#endif
