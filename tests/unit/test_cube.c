/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_cube.c - the group-by cube: sums per key, growth,
 * overflow, detach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "aggregate/cube.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Invariants after every mutating call: unused key slots are 0, no two
 * cells share a key, and the cells sum to what the test added.
 */
static void
assert_cube_consistent(struct cube *c, size_t ndims, size_t want_cells,
                       int64_t want_pt, int64_t want_fen)
{
    size_t n;
    struct cube_cell *cells = cube_cells(c, &n);
    int64_t pt = 0, fen = 0;

    assert_int_equal(n, want_cells);
    for (size_t i = 0; i < n; i++) {
        for (size_t d = ndims; d < CUBE_MAX_DIMS; d++)
            assert_int_equal(cells[i].key[d], 0);
        pt += cells[i].person_times;
        fen += cells[i].amount_fen;
    }
    /* quadratic, so only for small cubes */
    if (n <= 64) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                assert_memory_not_equal(cells[i].key, cells[j].key,
                                        ndims * sizeof(int));
    }
    assert_int_equal(pt, want_pt);
    assert_int_equal(fen, want_fen);
}

/* ******************************************************************** */
/* cube_add                                                             */
/* ******************************************************************** */

static void
test_cube_add_same_key_sums(void **state)
{
    struct cube *c = cube_new(3);
    const int key[3] = {202409, 330100, 2};
    size_t n;
    (void)state;

    assert_int_equal(cube_add(c, key, 10, 1230), 0);
    assert_cube_consistent(c, 3, 1, 10, 1230);
    assert_int_equal(cube_add(c, key, 5, 70), 0);
    assert_cube_consistent(c, 3, 1, 15, 1300);
    assert_int_equal(cube_add(c, key, -3, -300), 0);
    assert_cube_consistent(c, 3, 1, 12, 1000);

    struct cube_cell *cells = cube_cells(c, &n);
    assert_int_equal(n, 1);
    assert_int_equal(cells[0].key[0], 202409);
    assert_int_equal(cells[0].key[1], 330100);
    assert_int_equal(cells[0].key[2], 2);
    assert_int_equal(cells[0].person_times, 12);
    assert_int_equal(cells[0].amount_fen, 1000);
    cube_free(c);
}

static void
test_cube_add_different_keys_separate(void **state)
{
    static const struct {
        int key[2];
        int64_t pt, fen;
        size_t cells; /* distinct keys after this add */
    } adds[] = {
        {{1, 2}, 1, 100, 1},   {{2, 1}, 2, 200, 2},   {{1, 3}, 4, 400, 3},
        {{1, 2}, 8, 800, 3},   {{0, 0}, 16, 1600, 4}, {{-1, 2}, 32, 3200, 5},
        {{2, 1}, 64, 6400, 5},
    };
    static const struct {
        int key[2];
        int64_t pt, fen;
    } want[] = {
        /* insertion order */
        {{1, 2}, 9, 900},   {{2, 1}, 66, 6600},  {{1, 3}, 4, 400},
        {{0, 0}, 16, 1600}, {{-1, 2}, 32, 3200},
    };
    struct cube *c = cube_new(2);
    int64_t pt = 0, fen = 0;
    size_t n;
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(adds); i++) {
        assert_int_equal(cube_add(c, adds[i].key, adds[i].pt, adds[i].fen), 0);
        pt += adds[i].pt;
        fen += adds[i].fen;
        assert_cube_consistent(c, 2, adds[i].cells, pt, fen);
    }
    struct cube_cell *cells = cube_cells(c, &n);
    assert_int_equal(n, ARRAY_SIZE(want));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cells[i].key[0], want[i].key[0]);
        assert_int_equal(cells[i].key[1], want[i].key[1]);
        assert_int_equal(cells[i].person_times, want[i].pt);
        assert_int_equal(cells[i].amount_fen, want[i].fen);
    }
    cube_free(c);
}

static void
test_cube_add_full_width_key(void **state)
{
    const int a[CUBE_MAX_DIMS] = {1, 2, 3, 4, 5, 6};
    const int b[CUBE_MAX_DIMS] = {1, 2, 3, 4, 5, 7};
    struct cube *c = cube_new(CUBE_MAX_DIMS);
    size_t n;
    (void)state;

    assert_int_equal(cube_add(c, a, 1, 1), 0);
    assert_int_equal(cube_add(c, b, 2, 2), 0);
    assert_int_equal(cube_add(c, a, 3, 3), 0);
    assert_cube_consistent(c, CUBE_MAX_DIMS, 2, 6, 6);
    struct cube_cell *cells = cube_cells(c, &n);
    assert_int_equal(cells[0].key[5], 6);
    assert_int_equal(cells[0].person_times, 4);
    assert_int_equal(cells[1].key[5], 7);
    assert_int_equal(cells[1].person_times, 2);
    cube_free(c);
}

/* Spread the keys out so that neighbouring i do not hash alike. */
static void
many_key(int key[3], int i)
{
    key[0] = 202400 + i % 12 + 1;
    key[1] = 110000 + i / 12;
    key[2] = i % 7;
}

static void
test_cube_add_many_keys_grows(void **state)
{
    enum { N = 100000 };
    struct cube *c = cube_new(3);
    int64_t pt = 0, fen = 0;
    size_t n;
    (void)state;

    for (int i = 0; i < N; i++) {
        int key[3];
        many_key(key, i);
        assert_int_equal(cube_add(c, key, i, (int64_t)i * 100 + 1), 0);
        pt += i;
        fen += (int64_t)i * 100 + 1;
    }
    assert_cube_consistent(c, 3, N, pt, fen);

    /* every key is found again (after many grows): no new cell appears */
    for (int i = N - 1; i >= 0; i--) {
        int key[3];
        many_key(key, i);
        assert_int_equal(cube_add(c, key, 1, 2), 0);
    }
    pt += N;
    fen += 2 * N;
    assert_cube_consistent(c, 3, N, pt, fen);

    struct cube_cell *cells = cube_cells(c, &n);
    assert_int_equal(n, N);
    for (int i = 0; i < N; i++) {
        int key[3];
        many_key(key, i);
        const struct cube_cell *cell = &cells[i];
        assert_int_equal(cell->key[0], key[0]);
        assert_int_equal(cell->key[1], key[1]);
        assert_int_equal(cell->key[2], key[2]);
        assert_int_equal(cell->person_times, (int64_t)i + 1);
        assert_int_equal(cell->amount_fen, (int64_t)i * 100 + 3);
    }
    cube_free(c);
}

static void
test_cube_add_overflow_leaves_cell(void **state)
{
    static const struct {
        int64_t pt0, fen0, pt, fen;
    } cases[] = {
        {INT64_MAX, 0, 1, 0},
        {0, INT64_MAX, 0, 1},
        {INT64_MAX - 5, 7, 5, INT64_MAX}, /* person_times fits, fen not */
        {1, INT64_MAX - 1, INT64_MAX, 1}, /* fen fits, person_times not */
        {INT64_MIN, 0, -1, 0},
        {0, INT64_MIN, 0, -1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const int key[1] = {42}, other[1] = {43};
        struct cube *c = cube_new(1);
        size_t n;

        assert_int_equal(cube_add(c, key, cases[i].pt0, cases[i].fen0), 0);
        assert_int_equal(cube_add(c, key, cases[i].pt, cases[i].fen), -1);
        struct cube_cell *cells = cube_cells(c, &n);
        assert_int_equal(n, 1);
        assert_int_equal(cells[0].person_times, cases[i].pt0);
        assert_int_equal(cells[0].amount_fen, cases[i].fen0);

        /* the cube stays usable */
        assert_int_equal(cube_add(c, other, cases[i].pt, cases[i].fen), 0);
        cells = cube_cells(c, &n);
        assert_int_equal(n, 2);
        assert_int_equal(cells[0].person_times, cases[i].pt0);
        assert_int_equal(cells[1].person_times, cases[i].pt);
        assert_int_equal(cells[1].amount_fen, cases[i].fen);
        cube_free(c);
    }
}

/* ******************************************************************** */
/* cube_new / cube_detach / cube_free                                   */
/* ******************************************************************** */

static void
test_cube_new_zero_dims_single_cell(void **state)
{
    struct cube *c = cube_new(0);
    const int k0[1] = {1}, k1[1] = {99};
    size_t n;
    (void)state;

    /* with no dimensions every key is the same (empty) key */
    assert_int_equal(cube_add(c, k0, 3, 300), 0);
    assert_int_equal(cube_add(c, k1, 4, 400), 0);
    assert_int_equal(cube_add(c, k0, 5, 500), 0);
    assert_cube_consistent(c, 0, 1, 12, 1200);
    struct cube_cell *cells = cube_cells(c, &n);
    assert_int_equal(n, 1);
    for (size_t d = 0; d < CUBE_MAX_DIMS; d++)
        assert_int_equal(cells[0].key[d], 0);
    assert_int_equal(cells[0].person_times, 12);
    assert_int_equal(cells[0].amount_fen, 1200);
    cube_free(c);
}

static void
test_cube_empty(void **state)
{
    struct cube *c = cube_new(2);
    size_t n = 99;
    (void)state;

    cube_cells(c, &n);
    assert_int_equal(n, 0);
    cube_free(c);
    cube_free(NULL);
}

static void
test_cube_detach_returns_cells_and_empties(void **state)
{
    struct cube *c = cube_new(2);
    const int a[2] = {1, 1}, b[2] = {2, 2};
    size_t n = 0;
    (void)state;

    assert_int_equal(cube_add(c, a, 1, 10), 0);
    assert_int_equal(cube_add(c, b, 2, 20), 0);
    assert_int_equal(cube_add(c, a, 3, 30), 0);

    struct cube_cell *cells = cube_detach(c, &n);
    assert_non_null(cells);
    assert_int_equal(n, 2);
    assert_int_equal(cells[0].key[0], 1);
    assert_int_equal(cells[0].person_times, 4);
    assert_int_equal(cells[0].amount_fen, 40);
    assert_int_equal(cells[1].key[0], 2);
    assert_int_equal(cells[1].person_times, 2);
    assert_int_equal(cells[1].amount_fen, 20);
    assert_cube_consistent(c, 2, 0, 0, 0);

    /* the old keys are gone: adding them starts fresh cells */
    assert_int_equal(cube_add(c, b, 5, 50), 0);
    assert_int_equal(cube_add(c, a, 6, 60), 0);
    assert_int_equal(cube_add(c, b, 1, 1), 0);
    assert_cube_consistent(c, 2, 2, 12, 111);
    struct cube_cell *again = cube_cells(c, &n);
    assert_int_equal(again[0].key[0], 2);
    assert_int_equal(again[0].person_times, 6);
    assert_int_equal(again[1].key[0], 1);
    assert_int_equal(again[1].person_times, 6);

    /* the detached array is the caller's, untouched by later adds */
    assert_int_equal(cells[0].person_times, 4);
    free(cells);

    cells = cube_detach(c, &n);
    assert_int_equal(n, 2);
    free(cells);
    cells = cube_detach(c, &n);
    assert_int_equal(n, 0);
    free(cells);
    cube_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_add_same_key_sums),
        cmocka_unit_test(test_cube_add_different_keys_separate),
        cmocka_unit_test(test_cube_add_full_width_key),
        cmocka_unit_test(test_cube_add_many_keys_grows),
        cmocka_unit_test(test_cube_add_overflow_leaves_cell),
        cmocka_unit_test(test_cube_new_zero_dims_single_cell),
        cmocka_unit_test(test_cube_empty),
        cmocka_unit_test(test_cube_detach_returns_cells_and_empties),
    };
    return cmocka_run_group_tests_name("cube", tests, NULL, NULL);
}
