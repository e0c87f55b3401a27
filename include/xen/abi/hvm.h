/* HVM params, the only HVMOPs arm supports (public/hvm/hvm_op.h, params.h). */
#ifndef XEN_ABI_HVM_H
#define XEN_ABI_HVM_H

#include <xen/abi/xen.h>

#define HVMOP_set_param 0
#define HVMOP_get_param 1

#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18

struct xen_hvm_param {
	domid_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

#endif
