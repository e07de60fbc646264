/* t_stddef.h: common types, error codes and macros of the TOPPERS 3rd-generation kernel specification. */
#ifndef TOPPERS_T_STDDEF_H
#define TOPPERS_T_STDDEF_H

#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
#include <stddef.h>
#include <limits.h>

/* Integer types of the specification (ILP32 on i386). */
typedef int             int_t;
typedef unsigned int    uint_t;
typedef signed long     long_t;
typedef unsigned long   ulong_t;
typedef int             bool_t;

typedef int_t           FN;     /* function code */
typedef int_t           ER;     /* error code */
typedef int_t           ID;     /* object ID number */
typedef uint_t          ATR;    /* object attribute */
typedef uint_t          STAT;   /* object state */
typedef uint_t          MODE;   /* service-call operating mode */
typedef int_t           PRI;    /* priority */
typedef uint32_t        TMO;    /* timeout in microseconds, or TMO_POL/TMO_FEVR/TMO_NBLK */
typedef uint32_t        RELTIM; /* relative time in microseconds */
typedef uint64_t        SYSTIM; /* system time in microseconds (64-bit) */
typedef uint32_t        PRCTIM; /* processor time */
typedef uint32_t        HRTCNT; /* high-resolution timer count in microseconds (wraps) */
typedef intptr_t        EXINF;  /* extended information */
typedef void            (*FP)(void);

typedef int_t           ER_BOOL;
typedef int_t           ER_ID;
typedef int_t           ER_UINT;
typedef uintptr_t       MB_T;   /* unit for kernel-managed memory areas */
typedef uint32_t        ACPTN;
#endif /* TOPPERS_MACRO_ONLY */

#ifndef UINT_C
#define UINT_C(val)     (val ## U)
#endif
#ifndef ULONG_C
#define ULONG_C(val)    (val ## UL)
#endif
#ifndef NULL
#define NULL            ((void *) 0)
#endif
#ifndef true
#define true            1
#define false           0
#endif

/* Main error codes (spec: error code list). */
#define E_OK        0
#define E_SYS       (-5)
#define E_NOSPT     (-9)
#define E_RSFN      (-10)
#define E_RSATR     (-11)
#define E_PAR       (-17)
#define E_ID        (-18)
#define E_CTX       (-25)
#define E_MACV      (-26)
#define E_OACV      (-27)
#define E_ILUSE     (-28)
#define E_NOMEM     (-33)
#define E_NOID      (-34)
#define E_NORES     (-35)
#define E_OBJ       (-41)
#define E_NOEXS     (-42)
#define E_QOVR      (-43)
#define E_RLWAI     (-49)
#define E_TMOUT     (-50)
#define E_DLT       (-51)
#define E_CLS       (-52)
#define E_RASTER    (-53)
#define E_WBLK      (-57)
#define E_BOVR      (-58)
#define E_COMM      (-65)

#define TA_NULL     UINT_C(0)

/* Timeout specifications. */
#define TMO_POL     UINT_C(0)
#define TMO_FEVR    UINT32_MAX
#define TMO_NBLK    (UINT32_MAX - 1)

#define TACP_KERNEL UINT_C(0)
#define TACP_SHARED (~UINT_C(0))

#ifndef offsetof
#define offsetof(s, f)  __builtin_offsetof(s, f)
#endif
#ifndef alignof
#define alignof(type)   __alignof__(type)
#endif
#define ALIGN_TYPE(addr, type)  ((((uintptr_t)(addr)) & (alignof(type) - 1)) == 0U)

/* Error-code composition: main code in the low 8 bits, sub code above. */
#define ERCD(mercd, sercd)  ((ER)((((uint_t)(sercd)) << 8) | (((uint_t)(mercd)) & 0xffU)))
#define MERCD(ercd)         ((ER)((int8_t)(ercd)))
#define SERCD(ercd)         ((ER)((ercd) >> 8))

#define TACP(domid)     (1U << ((domid) - 1))

/* Largest relative time accepted by service calls (spec NGKI0551): 4000 s. */
#define TMAX_RELTIM     4000000000U

#ifndef TOPPERS_MACRO_ONLY
extern void TOPPERS_assert_fail(const char *expr, const char *file, int_t line);
extern void TOPPERS_assert_abort(void) __attribute__((noreturn));
#endif
#undef assert
#ifndef NDEBUG
#define assert(exp) ((void)((exp) ? 0 : (TOPPERS_assert_fail(#exp, __FILE__, __LINE__), TOPPERS_assert_abort(), 0)))
#else
#define assert(exp) ((void) 0)
#endif

#endif /* TOPPERS_T_STDDEF_H */
