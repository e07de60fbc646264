/* serial.c: serial interface driver: interrupt-driven receive into a ring buffer (counted by a semaphore), polled send. */
#include "kernel.h"
#include "syssvc/serial.h"
#include "target_serial.h"
#include "kernel_cfg.h"

/* Programs without serial.cfg link this file but never call it. */
#ifndef SERIAL_RCV_SEM1
#define SERIAL_RCV_SEM1 0
#endif
#ifndef SERIAL_RCV_SEM2
#define SERIAL_RCV_SEM2 0
#endif

typedef struct {
	bool_t	openflag;
	uint_t	ioctl;
	ID		rcv_semid;				/* counts the characters in rcv_buf */
	uint_t	head, count;
	char	rcv_buf[SERIAL_RCV_BUFSZ];
} SPCB;

static SPCB spcb_table[TNUM_PORT];

void serial_initialize(EXINF exinf)
{
	(void) exinf;
	for (uint_t i = 0; i < TNUM_PORT; i++) { spcb_table[i].openflag = false; spcb_table[i].head = spcb_table[i].count = 0; }
	spcb_table[0].rcv_semid = SERIAL_RCV_SEM1;
	spcb_table[1].rcv_semid = SERIAL_RCV_SEM2;
}

#define CHECK_PORT(portid)	do { if ((portid) < 1 || (portid) > TNUM_PORT) return E_ID; } while (0)

ER serial_opn_por(ID portid)
{
	CHECK_PORT(portid);
	if (sns_dpn()) return E_CTX;
	SPCB *p = &spcb_table[portid - 1];
	if (p->openflag) return E_OBJ;
	loc_cpu();
	p->openflag = true;
	p->ioctl = IOCTL_ECHO | IOCTL_CRLF;
	p->head = p->count = 0;
	target_uart_open((uint_t) portid);
	unl_cpu();
	return E_OK;
}

ER serial_cls_por(ID portid)
{
	CHECK_PORT(portid);
	SPCB *p = &spcb_table[portid - 1];
	if (!p->openflag) return E_OBJ;
	target_uart_close((uint_t) portid);
	p->openflag = false;
	return E_OK;
}

static void put_char(ID portid, char c)
{
	SPCB *p = &spcb_table[portid - 1];
	if (c == '\n' && (p->ioctl & IOCTL_CRLF)) target_uart_putc((uint_t) portid, '\r');
	target_uart_putc((uint_t) portid, c);
}

ER_UINT serial_wri_dat(ID portid, const char *buf, uint_t len)
{
	CHECK_PORT(portid);
	if (!spcb_table[portid - 1].openflag) return E_OBJ;
	for (uint_t i = 0; i < len; i++) put_char(portid, buf[i]);
	return (ER_UINT) len;
}

/* Reads exactly len characters, waiting for each one that has not arrived yet. */
ER_UINT serial_rea_dat(ID portid, char *buf, uint_t len)
{
	CHECK_PORT(portid);
	SPCB *p = &spcb_table[portid - 1];
	if (!p->openflag) return E_OBJ;
	for (uint_t i = 0; i < len; i++) {
		ER ercd = wai_sem(p->rcv_semid);
		if (ercd != E_OK) return i > 0U ? (ER_UINT) i : ercd;
		loc_cpu();
		char c = p->rcv_buf[p->head];
		p->head = (p->head + 1U) % SERIAL_RCV_BUFSZ;
		p->count--;
		unl_cpu();
		buf[i] = c;
		if (p->ioctl & IOCTL_ECHO) put_char(portid, c == '\r' ? '\n' : c);
	}
	return (ER_UINT) len;
}

ER serial_ctl_por(ID portid, uint_t ioctl)
{
	CHECK_PORT(portid);
	if (!spcb_table[portid - 1].openflag) return E_OBJ;
	spcb_table[portid - 1].ioctl = ioctl;
	return E_OK;
}

ER serial_ref_por(ID portid, T_SERIAL_RPOR *pk_rpor)
{
	CHECK_PORT(portid);
	if (!spcb_table[portid - 1].openflag) return E_OBJ;
	pk_rpor->reacnt = spcb_table[portid - 1].count;
	pk_rpor->wricnt = 0;
	return E_OK;
}

/* Receive interrupt (CRE_ISR in serial.cfg, exinf = port number). */
void sio_isr(EXINF exinf)
{
	ID portid = (ID) exinf;
	SPCB *p = &spcb_table[portid - 1];
	while (target_uart_getready((uint_t) portid)) {
		char c = target_uart_getc((uint_t) portid);
		if (!p->openflag) continue;
		loc_cpu();
		bool_t stored = p->count < SERIAL_RCV_BUFSZ;
		if (stored) {
			p->rcv_buf[(p->head + p->count) % SERIAL_RCV_BUFSZ] = c;
			p->count++;
		}
		unl_cpu();
		if (stored) (void) sig_sem(p->rcv_semid);
	}
}
