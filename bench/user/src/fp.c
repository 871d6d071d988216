/*
 * fp: the n-body simulation of the Computer Language Benchmarks Game (the
 * Sun and the four gas giants, symplectic Euler steps) in double precision:
 * dependent adds, multiplies, divides and square roots.  Built with
 * -ffp-contract=off so that no compiler fuses a multiply-add on one side
 * only; every operation is IEEE-exact, so the bits match across hosts.
 *
 * usage: fp [steps]
 */
#include <math.h>
#include <string.h>

#include "bench.h"

#define PI            3.141592653589793
#define SOLAR_MASS    (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES       5

typedef struct Body {
    double x[3], v[3], mass;
} Body;

static Body bodies[NBODIES] = {
    {{0, 0, 0}, {0, 0, 0}, SOLAR_MASS},
    {{4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01},
     {1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR},
     9.54791938424326609e-04 * SOLAR_MASS},
    {{8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01},
     {-2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR},
     2.85885980666130812e-04 * SOLAR_MASS},
    {{1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01},
     {2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR},
     4.36624404335156298e-05 * SOLAR_MASS},
    {{1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01},
     {2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR},
     5.15138902046611451e-05 * SOLAR_MASS},
};

static void offset_momentum(void)
{
    for (int k = 0; k < 3; k++) {
        double p = 0;

        for (int i = 0; i < NBODIES; i++) {
            p += bodies[i].v[k] * bodies[i].mass;
        }
        bodies[0].v[k] = -p / SOLAR_MASS;
    }
}

static double energy(void)
{
    double e = 0;

    for (int i = 0; i < NBODIES; i++) {
        Body *b = &bodies[i];

        e += 0.5 * b->mass * (b->v[0] * b->v[0] + b->v[1] * b->v[1] + b->v[2] * b->v[2]);
        for (int j = i + 1; j < NBODIES; j++) {
            double d[3], d2 = 0;

            for (int k = 0; k < 3; k++) {
                d[k] = b->x[k] - bodies[j].x[k];
                d2 += d[k] * d[k];
            }
            e -= b->mass * bodies[j].mass / sqrt(d2);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < NBODIES; i++) {
        Body *a = &bodies[i];

        for (int j = i + 1; j < NBODIES; j++) {
            Body *b = &bodies[j];
            double d[3], d2 = 0, mag;

            for (int k = 0; k < 3; k++) {
                d[k] = a->x[k] - b->x[k];
                d2 += d[k] * d[k];
            }
            mag = dt / (d2 * sqrt(d2));
            for (int k = 0; k < 3; k++) {
                a->v[k] -= d[k] * b->mass * mag;
                b->v[k] += d[k] * a->mass * mag;
            }
        }
    }
    for (int i = 0; i < NBODIES; i++) {
        for (int k = 0; k < 3; k++) {
            bodies[i].x[k] += dt * bodies[i].v[k];
        }
    }
}

static uint64_t bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof(u));
    return u;
}

int main(int argc, char **argv)
{
    uint64_t n = bench_arg(argc, argv, 1, 10000000);
    double e0, e1;
    uint64_t h = 0;

    offset_momentum();
    e0 = energy();
    for (uint64_t i = 0; i < n; i++) {
        advance(0.01);
    }
    e1 = energy();
    for (int i = 0; i < NBODIES; i++) {
        for (int k = 0; k < 3; k++) {
            h = bench_mix(bench_mix(h, bits(bodies[i].x[k])), bits(bodies[i].v[k]));
        }
    }
    printf("fp steps=%" PRIu64 " energy=%.9f,%.9f checksum=%016" PRIx64 "\n", n, e0, e1,
           bench_mix(h, bits(e1)));
    return 0;
}
