/* OpenSSL's message digests (libcrypto), for the SHA-256 of plugin libraries and checkpoints. */
#include <openssl/evp.h>
