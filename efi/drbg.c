/* The RNG protocol's generator (include/efi/rng.h): ChaCha20 (RFC 8439) as
 * a keyed stream, the key replaced after every request so that a later look
 * at our memory cannot rebuild earlier output. Small and table-free. It adds
 * no entropy: what it gives is as good as its seed. */
#include <efi/rng.h>
#include <string.h>

#define ROTL(x, n) ((x) << (n) | (x) >> (32 - (n)))
#define QR(a, b, c, d)                                                                             \
	do {                                                                                       \
		a += b, d ^= a, d = ROTL(d, 16);                                                   \
		c += d, b ^= c, b = ROTL(b, 12);                                                   \
		a += b, d ^= a, d = ROTL(d, 8);                                                    \
		c += d, b ^= c, b = ROTL(b, 7);                                                    \
	} while (0)

void efi_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
			uint8_t out[64])
{
	/* "expand 32-byte k" */
	uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
	uint32_t x[16];

	memcpy(&in[4], key, 32);
	in[12] = counter;
	memcpy(&in[13], nonce, 12);
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];
		out[4 * i] = (uint8_t)v;
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
	memset(x, 0, sizeof(x));
	memset(in, 0, sizeof(in));
}

/* Blocks for output and for new keys never share a (counter, nonce). */
enum { NONCE_OUTPUT, NONCE_REKEY, NONCE_MIX };

static void block(struct efi_drbg *d, uint32_t domain, uint8_t out[64])
{
	uint32_t nonce[3] = {(uint32_t)(d->counter >> 32), domain, 0};

	efi_chacha20_block(d->key, (uint32_t)d->counter, nonce, out);
	d->counter++;
}

static void rekey(struct efi_drbg *d, uint32_t domain)
{
	uint8_t b[64];

	block(d, domain, b);
	memcpy(d->key, b, sizeof(d->key));
	memset(b, 0, sizeof(b));
	d->counter = 0;
}

void efi_drbg_mix(struct efi_drbg *d, const void *data, size_t len)
{
	const uint8_t *p = data;

	/* Each 32-byte piece goes into the key, which then becomes a block
	 * of ChaCha20 under itself: every input bit reaches every key bit. */
	while (len) {
		uint8_t chunk[32] = {0};
		size_t n = MIN(len, sizeof(chunk));
		memcpy(chunk, p, n);
		for (size_t i = 0; i < EFI_DRBG_KEY_WORDS; i++) {
			d->key[i] ^= (uint32_t)chunk[4 * i] | (uint32_t)chunk[4 * i + 1] << 8 |
				     (uint32_t)chunk[4 * i + 2] << 16 |
				     (uint32_t)chunk[4 * i + 3] << 24;
		}
		memset(chunk, 0, sizeof(chunk));
		rekey(d, NONCE_MIX);
		p += n;
		len -= n;
	}
}

void efi_drbg_generate(struct efi_drbg *d, uint8_t *out, size_t len)
{
	uint8_t b[64];

	while (len) {
		size_t n = MIN(len, sizeof(b));
		block(d, NONCE_OUTPUT, b);
		memcpy(out, b, n);
		out += n;
		len -= n;
	}
	memset(b, 0, sizeof(b));
	rekey(d, NONCE_REKEY);
}
