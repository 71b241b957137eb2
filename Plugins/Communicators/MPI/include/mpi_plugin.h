/* What the files of the `mpi` communicator plugin share (no stable API; nothing here is
 * exported: the library exports only eqp_plugin_entry).
 *
 * MPI implementations are not ABI-compatible with each other (Open MPI, MPICH, vendor MPIs),
 * so MPI lives in this small C plugin, which a cluster rebuilds against its own MPI:
 *
 *   cd Plugins/Communicators/MPI
 *   mpicc -O2 -shared -fPIC -std=c11 -I ../../../Core/ABI/include -I include \
 *         mpi_library.c mpi_communicator.c mpi_missing.c -o libeqprop_mpi.so
 *
 * Built where no <mpi.h> is found, the library still loads and lists, and its `create` says
 * what to install: a single-process eqprop never notices, a launched one gets the sentence. */
#ifndef EQPROP_MPI_PLUGIN_H
#define EQPROP_MPI_PLUGIN_H

#include "eqprop.h"

#if defined(__has_include)
#if __has_include(<mpi.h>)
#define EQP_MPI_AVAILABLE 1
#endif
#endif

#define EQP_MPI_HIDDEN __attribute__((visibility("hidden")))

/* The host table, kept by the library's init before any other call. */
extern EQP_MPI_HIDDEN const EQP_HostApi *eqp_mpi_host;

/* The communicator's vtable: MPI's (mpi_communicator.c) or one whose create explains why
 * there is no MPI (mpi_missing.c). */
extern EQP_MPI_HIDDEN const EQP_CommunicatorVTable eqp_mpi_vtable;

/* What `eqprop plugins --json` shows as the plugin's description and the library's build. */
extern EQP_MPI_HIDDEN const char eqp_mpi_description[];
extern EQP_MPI_HIDDEN const char eqp_mpi_build[];

#endif
