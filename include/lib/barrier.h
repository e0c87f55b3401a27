/* Memory barriers for rings shared with Xen and backends. On arm64 the
 * compiler turns these fences into DMB ISH / ISHLD, on the host into the
 * x86 equivalents, so generic code needs no arch ifdefs. */
#ifndef LIB_BARRIER_H
#define LIB_BARRIER_H

/* Orders every earlier load and store before every later one. */
static inline void mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Orders earlier loads before later loads and stores (acquire). */
static inline void rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* Orders earlier loads and stores before later stores (release). */
static inline void wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

#endif
