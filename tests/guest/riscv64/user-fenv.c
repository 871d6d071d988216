/*
 * User-mode test: the floating-point environment.  The four rounding
 * modes change the results of division and conversion, exception flags
 * are raised and cleared (FE_INEXACT, FE_DIVBYZERO, FE_INVALID,
 * FE_OVERFLOW, FE_UNDERFLOW), fegetenv/fesetenv round-trip, and NaN
 * handling; results are printed as bit patterns.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, 8);
    return u;
}

static uint32_t fbits(float f)
{
    uint32_t u;

    memcpy(&u, &f, 4);
    return u;
}

int main(void)
{
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    static const char *const names[] = {"nearest", "upward", "downward", "towardzero"};
    volatile double one = 1.0, three = 3.0, zero = 0.0, big = DBL_MAX, tiny = DBL_MIN;
    volatile float f3 = 3.0f;
    fenv_t env;

    for (int i = 0; i < 4; i++) {
        volatile double r, n;
        volatile float rf;

        fesetround(modes[i]);
        r = one / three;
        n = -one / three;
        rf = 1.0f / f3;
        printf("%-10s 1/3=%016llx -1/3=%016llx f=%08x rint(2.5)=%g lrint(-1.5)=%ld\n",
               names[i], (unsigned long long)bits(r), (unsigned long long)bits(n),
               fbits(rf), rint(2.5), lrint(-1.5));
    }
    fesetround(FE_TONEAREST);
    printf("round is nearest: %d\n", fegetround() == FE_TONEAREST);

    feclearexcept(FE_ALL_EXCEPT);
    {
        volatile double r = one / three;

        (void)r;
    }
    printf("inexact=%d divbyzero=%d\n", !!fetestexcept(FE_INEXACT), !!fetestexcept(FE_DIVBYZERO));
    feclearexcept(FE_ALL_EXCEPT);
    {
        volatile double r = one / zero;

        printf("1/0=%g divbyzero=%d\n", r, !!fetestexcept(FE_DIVBYZERO));
    }
    feclearexcept(FE_ALL_EXCEPT);
    {
        volatile double r = zero / zero;

        printf("0/0 isnan=%d invalid=%d\n", isnan(r), !!fetestexcept(FE_INVALID));
    }
    feclearexcept(FE_ALL_EXCEPT);
    {
        volatile double r = big * 2.0;

        printf("overflow=%d inf=%d\n", !!fetestexcept(FE_OVERFLOW), isinf(r));
    }
    feclearexcept(FE_ALL_EXCEPT);
    {
        volatile double r = tiny / 3.0;

        printf("underflow=%d sub=%d\n", !!fetestexcept(FE_UNDERFLOW), fpclassify(r) == FP_SUBNORMAL);
    }
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(FE_UPWARD);
    feraiseexcept(FE_INEXACT);
    fegetenv(&env);
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    fesetenv(&env);
    printf("env restored: upward=%d inexact=%d\n", fegetround() == FE_UPWARD,
           !!fetestexcept(FE_INEXACT));
    fesetround(FE_TONEAREST);
    printf("sqrt(2)=%016llx fma=%016llx\n", (unsigned long long)bits(sqrt(2.0)),
           (unsigned long long)bits(fma(0.1, 10.0, -1.0)));
    return 0;
}
