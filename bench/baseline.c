/* Raw libsodium baseline for docs/benchmarks.md: the same cryptographic work as a
 * Casebook command, with nothing else. Decrypts COUNT XChaCha20-Poly1305
 * ciphertexts of SIZE plaintext bytes each (one key, as a client's records share
 * one data key), or streams ChaCha20-Poly1305 over TOTAL bytes in 64 KiB chunks.
 *   baseline xchacha COUNT SIZE      -> seconds to decrypt all
 *   baseline chacha  TOTAL_MIB       -> seconds to encrypt+decrypt TOTAL_MIB in 64 KiB chunks
 *   baseline chacha20poly1305 seal|open TOTAL_MIB
 *                                    -> seconds to seal (or open) TOTAL_MIB as age STREAM does:
 *                                       64 KiB chunks, IETF ChaCha20-Poly1305, 11-byte counter
 *                                       nonce + last-chunk flag, from one buffer into another
 *   baseline sha256  COUNT SIZE      -> seconds to hash COUNT messages of SIZE bytes
 *   baseline argon2id OPS MEM        -> seconds for one crypto_pwhash
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0 || argc < 3) { fprintf(stderr, "usage: see source\n"); return 2; }
    unsigned char key[32];
    randombytes_buf(key, sizeof key);
    if (strcmp(argv[1], "xchacha") == 0 && argc == 4) {
        size_t count = strtoul(argv[2], 0, 10), size = strtoul(argv[3], 0, 10);
        size_t sealed = 24 + size + 16;
        unsigned char *all = malloc(count * sealed), *out = malloc(size + 1);
        unsigned char *plain = calloc(1, size + 1);
        for (size_t i = 0; i < count; i++) {
            unsigned char *c = all + i * sealed;
            randombytes_buf(c, 24);
            crypto_aead_xchacha20poly1305_ietf_encrypt(c + 24, 0, plain, size, (unsigned char *)"ad", 2, 0, c, key);
        }
        double began = now();
        for (size_t i = 0; i < count; i++) {
            unsigned char *c = all + i * sealed;
            if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, 0, 0, c + 24, size + 16, (unsigned char *)"ad", 2, c, key) != 0) return 1;
        }
        printf("%.4f\n", now() - began);
        return 0;
    }
    if (strcmp(argv[1], "chacha") == 0) {
        size_t total = strtoul(argv[2], 0, 10) << 20, chunk = 65536;
        unsigned char *buf = calloc(1, chunk + 16), nonce[12] = {0};
        double began = now();
        for (size_t done = 0; done < total; done += chunk) {
            crypto_aead_chacha20poly1305_ietf_encrypt(buf, 0, buf, chunk, 0, 0, 0, nonce, key);
            if (crypto_aead_chacha20poly1305_ietf_decrypt(buf, 0, 0, buf, chunk + 16, 0, 0, nonce, key) != 0) return 1;
            sodium_increment(nonce, 11);
        }
        printf("%.4f\n", now() - began);
        return 0;
    }
    if (strcmp(argv[1], "chacha20poly1305") == 0 && argc == 4) {
        int seal = strcmp(argv[2], "seal") == 0;
        if (!seal && strcmp(argv[2], "open") != 0) { fprintf(stderr, "seal or open\n"); return 2; }
        /* A ring of 16 chunks (1 MiB, cache-resident like a read buffer): chunk i uses the
         * nonce of chunk i % 16, so every open authenticates; the work per chunk is the
         * same as for a fresh nonce. */
        enum { RING = 16 };
        size_t total = strtoul(argv[3], 0, 10) << 20, chunk = 65536, sealed = chunk + 16;
        size_t chunks = (total + chunk - 1) / chunk;
        unsigned char *plain = malloc(RING * chunk), *cipher = malloc(RING * sealed), nonces[RING][12];
        randombytes_buf(plain, RING * chunk);
        memset(nonces, 0, sizeof nonces);
        for (size_t r = 0; r < RING; r++) {
            nonces[r][10] = (unsigned char)r;  /* 11-byte big-endian counter; byte 11 is the last-chunk flag */
            crypto_aead_chacha20poly1305_ietf_encrypt(cipher + r * sealed, 0, plain + r * chunk, chunk, 0, 0, 0, nonces[r], key);
        }
        double began = now();
        for (size_t i = 0; i < chunks; i++) {
            size_t r = i % RING;
            if (seal) {
                crypto_aead_chacha20poly1305_ietf_encrypt(cipher + r * sealed, 0, plain + r * chunk, chunk, 0, 0, 0, nonces[r], key);
            } else if (crypto_aead_chacha20poly1305_ietf_decrypt(plain + r * chunk, 0, 0, cipher + r * sealed, sealed, 0, 0, nonces[r], key) != 0) {
                return 1;
            }
        }
        printf("%.4f\n", now() - began);
        return 0;
    }
    if (strcmp(argv[1], "sha256") == 0 && argc == 4) {
        size_t count = strtoul(argv[2], 0, 10), size = strtoul(argv[3], 0, 10);
        unsigned char *msg = calloc(1, size + 1), digest[32];
        double began = now();
        for (size_t i = 0; i < count; i++) { msg[0] = (unsigned char)i; crypto_hash_sha256(digest, msg, size); }
        printf("%.4f\n", now() - began);
        return 0;
    }
    if (strcmp(argv[1], "argon2id") == 0 && argc == 4) {
        unsigned long long ops = strtoull(argv[2], 0, 10);
        size_t mem = strtoul(argv[3], 0, 10);
        unsigned char out[32], salt[16] = {0};
        double began = now();
        if (crypto_pwhash(out, 32, "passphrase", 10, salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) return 1;
        printf("%.4f\n", now() - began);
        return 0;
    }
    fprintf(stderr, "unknown benchmark\n");
    return 2;
}
