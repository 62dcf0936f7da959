#ifndef PORTAL_CZEROMQ_SHIM_H
#define PORTAL_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
