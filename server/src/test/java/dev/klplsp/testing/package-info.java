// SPDX-License-Identifier: GPL-2.0-only
/**
 * The test harness every suite shares: {@link dev.klplsp.testing.Fixtures} compiles testdata/c with gcc and
 * the cross gccs ({@link dev.klplsp.testing.Toolchain}), {@link dev.klplsp.testing.Processes} runs external
 * tools (readelf is the oracle), and {@link dev.klplsp.testing.RealKernel} boots Debian's 6.1 kernel under
 * qemu and builds kbuild modules against its headers.
 *
 * <p>Nothing binary is checked in; a real-kernel test skips locally without {@code KLP_TEST_KERNEL_DIR} and
 * fails under {@code CI=true}.
 */
package dev.klplsp.testing;
