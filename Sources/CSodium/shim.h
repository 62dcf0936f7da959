#ifndef PORTAL_CSODIUM_SHIM_H
#define PORTAL_CSODIUM_SHIM_H
#include <sodium.h>
#endif
