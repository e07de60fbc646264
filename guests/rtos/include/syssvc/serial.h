/* syssvc/serial.h: serial interface driver (spec: serial interface driver): open/close/read/write/control/reference of ports. */
#ifndef TOPPERS_SERIAL_H
#define TOPPERS_SERIAL_H

#include "kernel.h"

/* Size of the receive buffer per port, in characters. */
#define SERIAL_RCV_BUFSZ	256

/* serial_ctl_por modes */
#define IOCTL_NULL		UINT_C(0x00)
#define IOCTL_ECHO		UINT_C(0x01)	/* echo received characters */
#define IOCTL_CRLF		UINT_C(0x10)	/* LF written as CR LF */
#define IOCTL_FCSND		UINT_C(0x20)	/* flow control when sending */
#define IOCTL_FCANY		UINT_C(0x40)
#define IOCTL_FCRCV		UINT_C(0x80)	/* flow control when receiving */

#ifndef TOPPERS_MACRO_ONLY
typedef struct {
	uint_t	reacnt;		/* characters in the receive buffer */
	uint_t	wricnt;		/* characters in the send buffer (always 0: output is polled) */
} T_SERIAL_RPOR;

extern void serial_initialize(EXINF exinf);
extern void sio_isr(EXINF exinf);
extern ER serial_opn_por(ID portid);
extern ER serial_cls_por(ID portid);
extern ER_UINT serial_rea_dat(ID portid, char *buf, uint_t len);
extern ER_UINT serial_wri_dat(ID portid, const char *buf, uint_t len);
extern ER serial_ctl_por(ID portid, uint_t ioctl);
extern ER serial_ref_por(ID portid, T_SERIAL_RPOR *pk_rpor);
#endif

#endif
