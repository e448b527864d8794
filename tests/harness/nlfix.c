/*
 * nlfix: LD_PRELOAD shim for jamid on recent kernels (tests only).
 *
 * jamid's bundled pjlib (2.12.1) dumps IPv6 addresses over NETLINK_ROUTE and
 * calls recv() until a datagram *starts* with NLMSG_DONE. Kernels 6.x put
 * NLMSG_DONE in the same datagram as the last address, so pjlib calls recv()
 * once more and blocks forever (jamid hangs on its first ICE transport, i.e.
 * the first call). This shim wraps recv() on AF_NETLINK sockets only: when a
 * datagram holds NLMSG_DONE after other messages, it returns the messages
 * before it and hands the NLMSG_DONE back on the next recv() of that socket.
 * See ../shared/notes/jamid-lab.md, section 2.2.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef ssize_t (*recv_fn)(int, void*, size_t, int);

#define SLOTS 32
#define HELD_MAX 256

static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int fd; /* -1: free */
    size_t length;
    unsigned char bytes[HELD_MAX];
} held[SLOTS];
static int held_ready;

static void held_init(void) {
    if (held_ready) return;
    for (int i = 0; i < SLOTS; ++i) held[i].fd = -1;
    held_ready = 1;
}

static int is_netlink(int fd) {
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr*)&address, &length) != 0) return 0;
    return address.ss_family == AF_NETLINK;
}

ssize_t recv(int fd, void* buffer, size_t length, int flags) {
    static recv_fn real_recv;
    if (!real_recv) real_recv = (recv_fn)dlsym(RTLD_NEXT, "recv");

    pthread_mutex_lock(&held_lock);
    held_init();
    for (int i = 0; i < SLOTS; ++i) {
        if (held[i].fd != fd) continue;
        size_t n = held[i].length < length ? held[i].length : length;
        memcpy(buffer, held[i].bytes, n);
        if (!(flags & MSG_PEEK)) held[i].fd = -1;
        pthread_mutex_unlock(&held_lock);
        return (ssize_t)n;
    }
    pthread_mutex_unlock(&held_lock);

    ssize_t received = real_recv(fd, buffer, length, flags);
    if (received <= 0 || (flags & MSG_PEEK) || !is_netlink(fd)) return received;

    struct nlmsghdr* header = (struct nlmsghdr*)buffer;
    int remaining = (int)received;
    size_t offset = 0;
    while (NLMSG_OK(header, remaining)) {
        if (header->nlmsg_type == NLMSG_DONE && offset > 0) {
            size_t tail = (size_t)received - offset;
            if (tail > HELD_MAX) break;
            pthread_mutex_lock(&held_lock);
            for (int i = 0; i < SLOTS; ++i) {
                if (held[i].fd != -1) continue;
                held[i].fd = fd;
                held[i].length = tail;
                memcpy(held[i].bytes, (unsigned char*)buffer + offset, tail);
                pthread_mutex_unlock(&held_lock);
                return (ssize_t)offset;
            }
            pthread_mutex_unlock(&held_lock);
            break;
        }
        offset += NLMSG_ALIGN(header->nlmsg_len);
        header = NLMSG_NEXT(header, remaining);
    }
    return received;
}
