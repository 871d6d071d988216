/*
 * User-mode test: files and directories through the syscall layer
 * (openat, read/write and their vector and positioned forms, lseek,
 * newfstatat/fstat/statx, getdents64, renameat2, unlinkat, mkdirat,
 * symlinkat/readlinkat, ftruncate, fallocate, utimensat, faccessat,
 * dup3, fcntl, copy_file_range, sendfile, getcwd/chdir) and the emulated
 * /proc/self files.  Prints only what is the same on every run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CHECK(x)                                                                  \
    do {                                                                          \
        if (!(x)) {                                                               \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno);        \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    char dir[] = "/tmp/morph-files-XXXXXX";
    char buf[256], path[512];
    struct stat st;
    struct iovec iov[2];
    int fd, fd2, n;

    /* The guest's view of itself. */
    n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    CHECK(n > 0);
    buf[n] = 0;
    printf("exe basename %s\n", strrchr(buf, '/') + 1);
    {
        FILE *f = fopen("/proc/self/maps", "r");
        int stack = 0, self = 0;

        CHECK(f);
        while (fgets(path, sizeof(path), f)) {
            stack |= strstr(path, "[stack]") != NULL;
            self |= strstr(path, strrchr(buf, '/') + 1) != NULL;
        }
        fclose(f);
        printf("maps stack=%d self=%d\n", stack, self);
    }
    {
        struct utsname u;

        CHECK(uname(&u) == 0);
        printf("machine %s\n", u.machine);
    }

    CHECK(mkdtemp(dir));
    CHECK(chdir(dir) == 0);
    CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, dir) == 0);
    printf("cwd ok\n");

    fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello world\n", 12) == 12);
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, 0, SEEK_CUR) == 12);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, buf, sizeof(buf));
    printf("read %d: %.*s", n, n, buf);
    CHECK(pread(fd, buf, 5, 6) == 5);
    printf("pread: %.5s\n", buf);
    iov[0].iov_base = "vec1-";
    iov[0].iov_len = 5;
    iov[1].iov_base = "vec2\n";
    iov[1].iov_len = 5;
    CHECK(writev(fd, iov, 2) == 10);
    CHECK(fstat(fd, &st) == 0);
    printf("size %lld mode %o nlink %lu\n", (long long)st.st_size, st.st_mode & 07777,
           (unsigned long)st.st_nlink);
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(stat("a.txt", &st) == 0 && st.st_size == 4 && S_ISREG(st.st_mode));
    CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
    CHECK(posix_fallocate(fd, 0, 8192) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 8192);
    printf("truncate/fallocate ok\n");

    fd2 = dup3(fd, 100, O_CLOEXEC);
    CHECK(fd2 == 100 && (fcntl(fd2, F_GETFD) & FD_CLOEXEC));
    CHECK(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND));
    close(fd2);
    close(fd);

    CHECK(mkdir("sub", 0755) == 0);
    CHECK(mkdir("sub", 0755) == -1 && errno == EEXIST);
    CHECK(rename("a.txt", "sub/b.txt") == 0);
    CHECK(symlink("sub/b.txt", "link") == 0);
    n = readlink("link", buf, sizeof(buf));
    printf("readlink: %.*s\n", n, buf);
    CHECK(access("link", R_OK) == 0 && access("nope", F_OK) == -1 && errno == ENOENT);
    CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode));
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "sub/f%d", i);
        fd = open(path, O_CREAT | O_WRONLY, 0600);
        CHECK(fd >= 0);
        close(fd);
    }
    {
        DIR *d = opendir("sub");
        struct dirent *e;
        char *names[32];
        int k = 0;

        CHECK(d);
        while ((e = readdir(d)) && k < 32) {
            names[k++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, k, sizeof(names[0]), cmp);
        printf("dir:");
        for (int i = 0; i < k; i++) {
            printf(" %s", names[i]);
        }
        printf("\n");
    }
    {
        struct timespec ts[2] = {{1000000000, 0}, {1234567890, 500}};

        CHECK(utimensat(AT_FDCWD, "sub/f0", ts, 0) == 0);
        CHECK(stat("sub/f0", &st) == 0);
        printf("mtime %lld.%ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    }
    {
        struct statx sx;

        CHECK(statx(AT_FDCWD, "sub/b.txt", 0, STATX_SIZE | STATX_MODE, &sx) == 0);
        printf("statx size %llu\n", (unsigned long long)sx.stx_size);
    }
    {
        int in = open("sub/b.txt", O_RDWR), out = open("copy", O_CREAT | O_RDWR, 0600);
        off_t off = 0;

        CHECK(in >= 0 && out >= 0);
        CHECK(pwrite(in, "0123456789", 10, 0) == 10);
        CHECK(copy_file_range(in, &off, out, NULL, 6, 0) == 6);
        CHECK(sendfile(out, in, &off, 4) == 4);
        CHECK(pread(out, buf, 10, 0) == 10);
        printf("copy: %.10s\n", buf);
        close(in);
        close(out);
    }
    CHECK(renameat2(AT_FDCWD, "copy", AT_FDCWD, "sub/b.txt", RENAME_NOREPLACE) == -1 &&
          errno == EEXIST);
    CHECK(rmdir("sub") == -1 && errno == ENOTEMPTY);
    CHECK(unlink("link") == 0 && unlink("copy") == 0);
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "sub/f%d", i);
        CHECK(unlink(path) == 0);
    }
    CHECK(unlink("sub/b.txt") == 0 && rmdir("sub") == 0);
    CHECK(chdir("/") == 0 && rmdir(dir) == 0);
    printf("cleanup ok\n");

    return 0;
}
