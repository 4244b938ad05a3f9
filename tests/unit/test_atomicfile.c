/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_atomicfile.c - atomic files and directories: the final
 * name keeps its old content until the commit, a symlink there is replaced
 * and its target untouched, a release leaves nothing, a directory swaps in
 * as a whole, and the sweep removes only stale temporary names of dead
 * processes.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/diag.h"

struct fx {
    char dir[256];
};

static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    const char *tmp = getenv("TMPDIR");
    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "%s/test_atomicfile.XXXXXX",
             tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;
    atomicfile_remove_tree(fx->dir);
    free(fx);
    return 0;
}

static void
path_in(const struct fx *fx, char *out, size_t outsz, const char *name)
{
    snprintf(out, outsz, "%s/%s", fx->dir, name);
}

static void
put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void
expect_text(const char *path, const char *text)
{
    char buf[256];
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

/* The entries of fx->dir, sorted, joined by spaces. */
static void
listing(const struct fx *fx, char *out, size_t outsz)
{
    struct dirent **names;
    int n = scandir(fx->dir, &names, NULL, alphasort);
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 &&
            strcmp(names[i]->d_name, "..") != 0)
            o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? " " : "",
                                  names[i]->d_name);
        free(names[i]);
    }
    free(names);
}

static void
test_atomicfile_commit_and_release(void **state)
{
    struct fx *fx = *state;
    struct atomicfile af = ATOMICFILE_INIT;
    struct diag err;
    char path[512], ls[1024];

    path_in(fx, path, sizeof(path), "out.txt");
    put(path, "old");
    diag_clear(&err);
    assert_int_equal(atomicfile_open(&af, path, &err), 0);
    assert_int_equal(atomicfile_write(&af, "new", 3, &err), 0);
    expect_text(path, "old"); /* not before the commit */
    assert_int_equal(atomicfile_commit(&af, &err), 0);
    atomicfile_release(&af);
    expect_text(path, "new");

    /* released without a commit: the old file stays, nothing is left */
    assert_int_equal(atomicfile_open(&af, path, &err), 0);
    assert_int_equal(atomicfile_write(&af, "lost", 4, &err), 0);
    atomicfile_release(&af);
    atomicfile_release(&af); /* idempotent */
    expect_text(path, "new");
    listing(fx, ls, sizeof(ls));
    assert_string_equal(ls, "out.txt");

    /* a directory at the name is refused up front */
    path_in(fx, path, sizeof(path), "d");
    assert_int_equal(mkdir(path, 0777), 0);
    assert_int_equal(atomicfile_put(path, "x", 1, &err), -1);
    assert_int_equal(err.code, DIAG_CANTCREAT);
    rmdir(path);
}

static void
test_atomicfile_symlink_replaced(void **state)
{
    struct fx *fx = *state;
    struct diag err;
    char path[512], victim[512];
    struct stat st;

    path_in(fx, victim, sizeof(victim), "victim");
    path_in(fx, path, sizeof(path), "link");
    put(victim, "precious");
    assert_int_equal(symlink(victim, path), 0);
    diag_clear(&err);
    assert_int_equal(atomicfile_put(path, "data", 4, &err), 0);
    expect_text(victim, "precious");
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    expect_text(path, "data");
}

static void
test_atomicdir_swap(void **state)
{
    struct fx *fx = *state;
    struct atomicdir ad = ATOMICDIR_INIT;
    struct diag err;
    char dir[512], file[700], ls[1024];

    path_in(fx, dir, sizeof(dir), "charts");
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(file, sizeof(file), "%s/stale.png", dir);
    put(file, "old");
    diag_clear(&err);
    assert_int_equal(atomicdir_open(&ad, dir, &err), 0);
    snprintf(file, sizeof(file), "%s/new.png", ad.tmp);
    put(file, "new");
    assert_int_equal(atomicdir_commit(&ad, &err), 0);
    atomicdir_release(&ad);
    snprintf(file, sizeof(file), "%s/new.png", dir);
    expect_text(file, "new");
    snprintf(file, sizeof(file), "%s/stale.png", dir);
    assert_int_not_equal(access(file, F_OK), 0);
    listing(fx, ls, sizeof(ls));
    assert_string_equal(ls, "charts"); /* the old set is gone */

    /* released unfilled: the current set stays */
    assert_int_equal(atomicdir_open(&ad, dir, &err), 0);
    atomicdir_release(&ad);
    listing(fx, ls, sizeof(ls));
    assert_string_equal(ls, "charts");
}

/* Set path's times an hour back. */
static void
age(const char *path)
{
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= 3600;
    tv[1] = tv[0];
    assert_int_equal(lutimes(path, tv), 0);
}

static void
make_old(const char *path, int is_dir)
{
    if (is_dir)
        assert_int_equal(mkdir(path, 0777), 0);
    else
        put(path, "x");
    age(path);
}

static void
test_atomicfile_sweep(void **state)
{
    struct fx *fx = *state;
    char p[512], ls[1024];
    /* a PID that cannot be running: above the kernel's pid_max limit */
    const char *dead = "999999999";

    snprintf(p, sizeof(p), "%s/.bulletin.md.tmp.%s.AbC123", fx->dir, dead);
    make_old(p, 0);
    snprintf(p, sizeof(p), "%s/.charts.tmp.%s.XyZ789", fx->dir, dead);
    make_old(p, 1);
    snprintf(p, sizeof(p), "%s/.charts.tmp.%s.XyZ789/map.png", fx->dir, dead);
    put(p, "x");
    snprintf(p, sizeof(p), "%s/.charts.tmp.%s.XyZ789", fx->dir, dead);
    age(p);
    snprintf(p, sizeof(p), "%s/gongji-plot.%s.Qq1234", fx->dir, dead);
    make_old(p, 1);
    /* ours, alive: kept */
    snprintf(p, sizeof(p), "%s/.attachment.xlsx.tmp.%ld.AbC123", fx->dir,
             (long)getpid());
    make_old(p, 0);
    /* a dead one, but fresh: kept */
    snprintf(p, sizeof(p), "%s/.fresh.tmp.%s.AbC123", fx->dir, dead);
    put(p, "x");
    /* not our shape: kept */
    snprintf(p, sizeof(p), "%s/.notes.tmp.12.short", fx->dir);
    make_old(p, 0);
    snprintf(p, sizeof(p), "%s/bulletin.md", fx->dir);
    make_old(p, 0);

    assert_int_equal(
        atomicfile_sweep(fx->dir, ".", ATOMICFILE_MARK, ATOMICFILE_STALE_S, -1),
        2);
    assert_int_equal(
        atomicfile_sweep(fx->dir, "gongji-plot", ".", ATOMICFILE_STALE_S, -1),
        1);
    listing(fx, ls, sizeof(ls));
    char want[512];
    snprintf(want, sizeof(want),
             ".attachment.xlsx.tmp.%ld.AbC123 .fresh.tmp.%s.AbC123 "
             ".notes.tmp.12.short bulletin.md",
             (long)getpid(), dead);
    assert_string_equal(ls, want);

    /* a signal's cleanup: this process's names at any age */
    assert_int_equal(atomicfile_sweep(fx->dir, ".", ATOMICFILE_MARK,
                                      ATOMICFILE_STALE_S, (long)getpid()),
                     1);
}

/*
 * A LibreOffice profile's depth (12 levels, files at every level) is
 * removed whole; a tree deeper than remove_at() goes is refused, and its
 * top is left, quickly (the walk is not retried at every level above).
 */
static void
test_atomicfile_remove_tree_deep(void **state)
{
    struct fx *fx = *state;
    char path[4096], top[1024], file[4200];
    struct stat st;

    for (int depth = 12; depth <= 40; depth += 28) {
        snprintf(top, sizeof(top), "%s/deep%d", fx->dir, depth);
        snprintf(path, sizeof(path), "%s", top);
        for (int i = 0; i < depth; i++) {
            assert_int_equal(mkdir(path, 0700), 0);
            for (int k = 0; k < 3; k++) {
                snprintf(file, sizeof(file), "%s/f%d", path, k);
                put(file, "x");
            }
            size_t len = strlen(path);
            snprintf(path + len, sizeof(path) - len, "/d");
        }
        int rc = atomicfile_remove_tree(top);
        if (depth == 12) {
            assert_int_equal(rc, 0);
            assert_int_equal(lstat(top, &st), -1);
        } else {
            /* past 32 levels: refused, what is above is still there */
            assert_int_equal(rc, -1);
            assert_int_equal(lstat(top, &st), 0);
            snprintf(file, sizeof(file), "rm -rf '%s'", top);
            assert_int_equal(system(file), 0);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_atomicfile_commit_and_release,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomicfile_symlink_replaced, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_atomicdir_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomicfile_remove_tree_deep, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_atomicfile_sweep, setup, teardown),
    };

    return cmocka_run_group_tests_name("atomicfile", tests, NULL, NULL);
}
