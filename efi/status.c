/* EFI status codes from our -errno results, and their names for messages. */
#include <efi/efi.h>
#include <lib/errno.h>

static const struct {
	int err;
	efi_status_t status;
} errno_status[] = {
    {-EINVAL, EFI_INVALID_PARAMETER},	{-ENOENT, EFI_NOT_FOUND},
    {-ENOMEM, EFI_OUT_OF_RESOURCES},	{-ENOSPC, EFI_OUT_OF_RESOURCES},
    {-EOVERFLOW, EFI_BUFFER_TOO_SMALL}, {-EACCES, EFI_ACCESS_DENIED},
    {-EPERM, EFI_WRITE_PROTECTED},	{-EROFS, EFI_WRITE_PROTECTED},
    {-EIO, EFI_DEVICE_ERROR},		{-ENODEV, EFI_NO_MEDIA},
    {-ETIMEDOUT, EFI_TIMEOUT},		{-ENOEXEC, EFI_LOAD_ERROR},
    {-EOPNOTSUPP, EFI_UNSUPPORTED},	{-ENOSYS, EFI_UNSUPPORTED},
    {-EEXIST, EFI_INVALID_PARAMETER},	{-EBUSY, EFI_ACCESS_DENIED},
    {-EILSEQ, EFI_VOLUME_CORRUPTED},	{-EFBIG, EFI_BAD_BUFFER_SIZE},
    {-EFAULT, EFI_INVALID_PARAMETER},	{-ENOTDIR, EFI_NOT_FOUND},
};

efi_status_t efi_status_of(int rc)
{
	if (rc >= 0) {
		return EFI_SUCCESS;
	}
	for (size_t i = 0; i < ARRAY_SIZE(errno_status); i++) {
		if (errno_status[i].err == rc) {
			return errno_status[i].status;
		}
	}
	return EFI_DEVICE_ERROR;
}

static const char *const status_names[] = {
    [1] = "EFI_LOAD_ERROR",	   [2] = "EFI_INVALID_PARAMETER",   [3] = "EFI_UNSUPPORTED",
    [4] = "EFI_BAD_BUFFER_SIZE",   [5] = "EFI_BUFFER_TOO_SMALL",    [6] = "EFI_NOT_READY",
    [7] = "EFI_DEVICE_ERROR",	   [8] = "EFI_WRITE_PROTECTED",	    [9] = "EFI_OUT_OF_RESOURCES",
    [10] = "EFI_VOLUME_CORRUPTED", [11] = "EFI_VOLUME_FULL",	    [12] = "EFI_NO_MEDIA",
    [14] = "EFI_NOT_FOUND",	   [15] = "EFI_ACCESS_DENIED",	    [18] = "EFI_TIMEOUT",
    [19] = "EFI_NOT_STARTED",	   [20] = "EFI_ALREADY_STARTED",    [21] = "EFI_ABORTED",
    [24] = "EFI_PROTOCOL_ERROR",   [26] = "EFI_SECURITY_VIOLATION", [27] = "EFI_CRC_ERROR",
    [31] = "EFI_END_OF_FILE",
};

const char *efi_status_name(efi_status_t s)
{
	uint64_t n = s & ~EFI_ERROR_BIT;

	if (s == EFI_SUCCESS) {
		return "EFI_SUCCESS";
	}
	if (EFI_IS_ERROR(s) && n < ARRAY_SIZE(status_names) && status_names[n]) {
		return status_names[n];
	}
	return EFI_IS_ERROR(s) ? "EFI error" : "EFI warning";
}
