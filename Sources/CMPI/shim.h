// Open MPI's C interface (Debian: libopenmpi-dev; pkg-config "ompi" supplies the include directory).
//
// Open MPI spells its predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) and MPI_IN_PLACE
// as macros over casts of global objects, which Swift does not import; each is returned here by a
// static inline function instead. Only workstation code (FFEMTrain's Distributed/) imports this.
#ifndef FFEM_CMPI_SHIM_H
#define FFEM_CMPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm ffem_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype ffem_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype ffem_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype ffem_mpi_int(void) { return MPI_INT; }
static inline MPI_Op ffem_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op ffem_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler ffem_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *ffem_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int ffem_mpi_success(void) { return MPI_SUCCESS; }
static inline int ffem_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
