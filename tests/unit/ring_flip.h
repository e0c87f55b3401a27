/* A backend on another CPU that flips a ring's rsp_prod between "nothing
 * new" and "one more" in step with the frontend's reads (issue 8 #8), made
 * deterministic for a test: the ring page is PROT_NONE, so each access by
 * the frontend faults; the handler sets the value the load is about to see,
 * lets that one instruction run (the x86 trap flag) and protects the page
 * again. Producer reads see cons, cons + 1, cons, cons + 1, ... for
 * RING_FLIP_READS reads, then cons. x86-64 Linux hosts only (RING_FLIP_OK);
 * define _GNU_SOURCE before any include. */
#ifndef TESTS_UNIT_RING_FLIP_H
#define TESTS_UNIT_RING_FLIP_H

#if defined(__x86_64__) && defined(__linux__)
#define RING_FLIP_OK 1

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <xen/abi/ring.h>

#define RING_FLIP_READS 1000
#define RING_FLIP_PAGE 4096

static struct {
	uint8_t *page;
	uint32_t *prod;
	uint32_t cons;
	unsigned int reads;
	struct sigaction old_segv, old_trap;
} ring_flip;

static void ring_flip_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)mprotect(ring_flip.page, RING_FLIP_PAGE, PROT_READ | PROT_WRITE);
	if ((uint8_t *)si->si_addr == (uint8_t *)ring_flip.prod) {
		ring_flip.reads++;
		*ring_flip.prod = ring_flip.cons +
				  (ring_flip.reads % 2 == 0 && ring_flip.reads < RING_FLIP_READS);
	}
	uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
}

static void ring_flip_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100;
	(void)mprotect(ring_flip.page, RING_FLIP_PAGE, PROT_NONE);
}

/* Start flipping @sring's rsp_prod around @cons. 0, or -1 (not set up). */
static inline int ring_flip_start(struct xen_sring_hdr *sring, uint32_t cons)
{
	struct sigaction sa = {.sa_flags = SA_SIGINFO};

	ring_flip.page = (uint8_t *)sring;
	ring_flip.prod = (uint32_t *)&sring->rsp_prod;
	ring_flip.cons = cons;
	ring_flip.reads = 0;
	*ring_flip.prod = cons;
	sa.sa_sigaction = ring_flip_segv;
	if (sigaction(SIGSEGV, &sa, &ring_flip.old_segv)) {
		return -1;
	}
	sa.sa_sigaction = ring_flip_trap;
	if (sigaction(SIGTRAP, &sa, &ring_flip.old_trap)) {
		return -1;
	}
	return mprotect(ring_flip.page, RING_FLIP_PAGE, PROT_NONE);
}

/* Stop, and say how often rsp_prod was read meanwhile. */
static inline unsigned int ring_flip_stop(void)
{
	(void)mprotect(ring_flip.page, RING_FLIP_PAGE, PROT_READ | PROT_WRITE);
	(void)sigaction(SIGSEGV, &ring_flip.old_segv, NULL);
	(void)sigaction(SIGTRAP, &ring_flip.old_trap, NULL);
	return ring_flip.reads;
}
#endif

#endif
