/*
 * The embedded DNS server's UDP sockets, as gdnsd drives them: a thread blocks in recvmmsg for a batch
 * of queries and sends the batch's answers with one sendmmsg. Only the system calls are here; the
 * Java side (io.meridian.dns.embedded.NativeUdp) reads and writes the datagrams in direct buffers it
 * owns, so a call carries a handful of numbers (descriptor, buffer addresses, counts), not an object
 * per datagram.
 *
 * Buffers, slot i of each: data at i * slotSize, the peer's address (struct sockaddr_in or _in6) at
 * i * NAME_SLOT, the datagram's length as a native-order int at i * 4 (-1: longer than its slot).
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define NAME_SLOT 32
#define MAX_BATCH 64

static int sockaddr_len(const char *name) {
    return ((const struct sockaddr *) name)->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* One message of a batch: len bytes at data, to or from the address at name. */
static void message(struct mmsghdr *m, struct iovec *v, char *data, size_t len, char *name, socklen_t namelen) {
    memset(m, 0, sizeof *m);
    v->iov_base = data;
    v->iov_len = len;
    m->msg_hdr.msg_iov = v;
    m->msg_hdr.msg_iovlen = 1;
    m->msg_hdr.msg_name = name;
    m->msg_hdr.msg_namelen = namelen;
}

/* A UDP socket on addr:port that shares the port (SO_REUSEPORT) and whose reads give up after
 * timeoutMillis; the descriptor, or -errno. */
JNIEXPORT jint JNICALL Java_io_meridian_dns_embedded_NativeUdp_open(JNIEnv *env, jclass cls, jbyteArray addr, jint port, jint timeoutMillis) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    jsize n = (*env)->GetArrayLength(env, addr);
    if (n == 4) {
        struct sockaddr_in *a = (struct sockaddr_in *) &ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, addr, 0, 4, (jbyte *) &a->sin_addr);
        len = sizeof *a;
    } else if (n == 16) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, addr, 0, 16, (jbyte *) &a->sin6_addr);
        len = sizeof *a;
    } else {
        return -EINVAL;
    }
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int one = 1;
    struct timeval tv = { timeoutMillis / 1000, (timeoutMillis % 1000) * 1000 };
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0
            || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0
            || bind(fd, (struct sockaddr *) &ss, len) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

/* Waits for at least one datagram, takes up to slots of them; their count, or -errno. */
JNIEXPORT jint JNICALL Java_io_meridian_dns_embedded_NativeUdp_receive(JNIEnv *env, jclass cls, jint fd, jlong data, jint slotSize,
        jlong names, jlong lens, jint slots) {
    char *d = (char *) (intptr_t) data;
    char *nm = (char *) (intptr_t) names;
    jint *ln = (jint *) (intptr_t) lens;
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    if (slots > MAX_BATCH) {
        slots = MAX_BATCH;
    }
    for (int i = 0; i < slots; i++) {
        message(&msgs[i], &iov[i], d + (size_t) i * slotSize, slotSize, nm + i * NAME_SLOT, NAME_SLOT);
    }
    int r;
    do {
        r = recvmmsg(fd, msgs, slots, MSG_WAITFORONE, NULL);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        return -errno;
    }
    for (int i = 0; i < r; i++) {
        ln[i] = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? -1 : (jint) msgs[i].msg_len;
    }
    return r;
}

/* Sends slot i's data (lens[i] bytes; none when 0) to slot i's address, for i < count; the number of
 * datagrams the kernel refused (each is skipped, the rest still go). */
JNIEXPORT jint JNICALL Java_io_meridian_dns_embedded_NativeUdp_send(JNIEnv *env, jclass cls, jint fd, jlong data, jint slotSize,
        jlong names, jlong lens, jint count) {
    char *d = (char *) (intptr_t) data;
    char *nm = (char *) (intptr_t) names;
    jint *ln = (jint *) (intptr_t) lens;
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    int k = 0;
    for (int i = 0; i < count && i < MAX_BATCH; i++) {
        if (ln[i] <= 0) {
            continue;
        }
        message(&msgs[k], &iov[k], d + (size_t) i * slotSize, ln[i], nm + i * NAME_SLOT, sockaddr_len(nm + i * NAME_SLOT));
        k++;
    }
    int refused = 0;
    for (int off = 0; off < k;) {
        int r = sendmmsg(fd, msgs + off, k - off, 0);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            refused++; // the first of the rest failed: skip it
            off++;
        } else {
            off += r;
        }
    }
    return refused;
}

/* Where a direct buffer's memory is: taken once, so that a batch's calls carry only numbers. */
JNIEXPORT jlong JNICALL Java_io_meridian_dns_embedded_NativeUdp_address(JNIEnv *env, jclass cls, jobject buffer) {
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buffer);
}

/* Wakes a thread blocked in receive on fd: its read returns at once. */
JNIEXPORT void JNICALL Java_io_meridian_dns_embedded_NativeUdp_shutdown(JNIEnv *env, jclass cls, jint fd) {
    shutdown(fd, SHUT_RDWR);
}

JNIEXPORT void JNICALL Java_io_meridian_dns_embedded_NativeUdp_close(JNIEnv *env, jclass cls, jint fd) {
    close(fd);
}

JNIEXPORT jstring JNICALL Java_io_meridian_dns_embedded_NativeUdp_error(JNIEnv *env, jclass cls, jint err) {
    return (*env)->NewStringUTF(env, strerror(err));
}
