//! Tests of the P-256 arithmetic against independent implementations and
//! values: fiat-crypto's verified Montgomery code (the same representation,
//! limb for limb), RustCrypto's `p256` crate (canonical values, points,
//! ECDSA with RFC 6979), and points computed by pyca/cryptography (OpenSSL)
//! in `testdata/p256-points.txt` (`tools/p256_points.py`).
//!
//! Random inputs come from proptest, drawn so that carries and borrows are
//! likely: limbs from {0, 1, 2^32 − 1, 2^32, 2^63, 2^64 − 1, …} as well as
//! uniform ones, and the values next to `p`, `n` and `2^256`.

extern crate std;
use std::string::String;
use std::vec;
use std::vec::Vec;

use p256::elliptic_curve::PrimeField as _;
use p256::elliptic_curve::group::Group as _;
use p256::elliptic_curve::hazmat::FieldArithmetic;
use p256::elliptic_curve::sec1::ToSec1Point as _;
use proptest::prelude::*;
use subtle::{Choice, ConstantTimeEq};

use super::arith32;
use super::field::Fe;
use super::mul::{self, WNAF_LEN};
use super::point::{Affine, G, Jacobian, Projective};
use super::scalar::Scalar;
use super::table;

/// The oracle's field element.
type OracleFe = <p256::NistP256 as FieldArithmetic>::FieldElement;

const P_HEX: &str = "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF";
const N_HEX: &str = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

fn b32(hex_str: &str) -> [u8; 32] {
    hex::decode(hex_str).unwrap().try_into().unwrap()
}

/// `v + d` on 32-byte big-endian numbers, wrapping at 2^256.
fn add_small(v: &[u8; 32], d: i64) -> [u8; 32] {
    let mut out = *v;
    let mut carry: i64 = d;
    for b in out.iter_mut().rev() {
        let t = i64::from(*b) + carry;
        *b = t.rem_euclid(256) as u8;
        carry = t.div_euclid(256);
    }
    out
}

/// Numbers next to the edges: 0, 1, 2, p ± 2, n ± 2, 2^256 − 1..3, 2^255,
/// 2^224, 2^192 ± 1.
fn edge_values() -> Vec<[u8; 32]> {
    let p = b32(P_HEX);
    let n = b32(N_HEX);
    let mut out = Vec::new();
    for base in [[0u8; 32], p, n] {
        for d in -2..=2 {
            out.push(add_small(&base, d));
        }
    }
    for bit in [255usize, 224, 192, 128, 96, 64, 32] {
        let mut v = [0u8; 32];
        v[31 - bit / 8] = 1 << (bit % 8);
        out.push(v);
        out.push(add_small(&v, -1));
        out.push(add_small(&v, 1));
    }
    out
}

fn limb_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(0xFFFF_FFFF),
        Just(0x1_0000_0000),
        Just(0x8000_0000_0000_0000),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        Just(0xFFFF_FFFF_0000_0001),
        Just(0xFFFF_FFFF_0000_0000),
        any::<u64>(),
        any::<u64>(),
    ]
}

/// 32-byte big-endian numbers with carry-prone limbs, uniform ones and the
/// edge values.
fn number() -> impl Strategy<Value = [u8; 32]> {
    prop_oneof![
        4 => prop::array::uniform4(limb_strategy()).prop_map(|l| {
            let mut out = [0u8; 32];
            for (i, limb) in l.iter().enumerate() {
                out[24 - 8 * i..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
            }
            out
        }),
        2 => any::<[u8; 32]>(),
        1 => prop::sample::select(edge_values()),
    ]
}

fn oracle_fe(b: &[u8; 32]) -> Option<OracleFe> {
    Option::from(OracleFe::from_repr((*b).into()))
}

fn oracle_scalar(b: &[u8; 32]) -> Option<p256::Scalar> {
    Option::from(p256::Scalar::from_repr((*b).into()))
}

fn fe(b: &[u8; 32]) -> Fe {
    let (v, ok) = Fe::from_bytes(b);
    assert!(bool::from(ok));
    v
}

fn hex_of(b: &[u8]) -> String {
    hex::encode(b)
}

/// The SEC1 uncompressed encoding of an oracle point (65 bytes), or
/// `[0]` for the identity.
fn oracle_encode(p: &p256::ProjectivePoint) -> Vec<u8> {
    p.to_affine().to_sec1_point(false).as_bytes().to_vec()
}

fn encode_affine(a: &Affine) -> Vec<u8> {
    let mut out = std::vec![4u8];
    out.extend(a.x.be_bytes());
    out.extend(a.y.be_bytes());
    out
}

fn encode_projective(p: &Projective) -> Vec<u8> {
    let (a, not_identity) = p.affine();
    if bool::from(not_identity) {
        encode_affine(&a)
    } else {
        std::vec![0]
    }
}

fn encode_jacobian(p: &Jacobian) -> Vec<u8> {
    match p.affine_vartime() {
        Some(a) => encode_affine(&a),
        None => std::vec![0],
    }
}

fn oracle_mul_g(k: &[u8; 32]) -> p256::ProjectivePoint {
    // k mod n (every 32-byte number is below 2n).
    let s = oracle_scalar(k).unwrap_or_else(|| {
        let n = b32(N_HEX);
        let mut d = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let t = i16::from(k[i]) - i16::from(n[i]) - borrow;
            d[i] = t.rem_euclid(256) as u8;
            borrow = i16::from(t < 0);
        }
        oracle_scalar(&d).unwrap()
    });
    p256::ProjectivePoint::GENERATOR * s
}

fn affine_of_oracle(p: &p256::ProjectivePoint) -> Affine {
    let enc = oracle_encode(p);
    let (a, ok) = Affine::from_coordinates(
        fe(&enc[1..33].try_into().unwrap()),
        fe(&enc[33..65].try_into().unwrap()),
    );
    assert!(bool::from(ok));
    a
}

// ---------------------------------------------------------------------
// Montgomery backends against fiat-crypto, limb for limb.

mod backend64 {
    use super::*;
    use crate::sign::arith64 as a;
    use fiat_crypto::p256_64 as fp;
    use fiat_crypto::p256_scalar_64 as fn_;

    fn reduced(b: &[u8; 32], m: &[u64; 4]) -> [u64; 4] {
        a::reduce_once(&a::from_be_bytes(b), m)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn p_arithmetic_matches_fiat(x in number(), y in number()) {
            let (x, y) = (reduced(&x, &a::P), reduced(&y, &a::P));
            let (fx, fy) = (fp::fiat_p256_montgomery_domain_field_element(x),
                            fp::fiat_p256_montgomery_domain_field_element(y));
            let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 4]);
            fp::fiat_p256_mul(&mut out, &fx, &fy);
            prop_assert_eq!(a::p_mul(&x, &y), out.0);
            fp::fiat_p256_square(&mut out, &fx);
            prop_assert_eq!(a::p_square(&x), out.0);
            fp::fiat_p256_add(&mut out, &fx, &fy);
            prop_assert_eq!(a::p_add(&x, &y), out.0);
            fp::fiat_p256_sub(&mut out, &fx, &fy);
            prop_assert_eq!(a::p_sub(&x, &y), out.0);
        }

        #[test]
        fn n_arithmetic_matches_fiat(x in number(), y in number()) {
            let (x, y) = (reduced(&x, &a::N), reduced(&y, &a::N));
            let (fx, fy) = (fn_::fiat_p256_scalar_montgomery_domain_field_element(x),
                            fn_::fiat_p256_scalar_montgomery_domain_field_element(y));
            let mut out = fn_::fiat_p256_scalar_montgomery_domain_field_element([0; 4]);
            fn_::fiat_p256_scalar_mul(&mut out, &fx, &fy);
            prop_assert_eq!(a::n_mul(&x, &y), out.0);
            fn_::fiat_p256_scalar_square(&mut out, &fx);
            prop_assert_eq!(a::n_square(&x), out.0);
            fn_::fiat_p256_scalar_add(&mut out, &fx, &fy);
            prop_assert_eq!(a::n_add(&x, &y), out.0);
            fn_::fiat_p256_scalar_sub(&mut out, &fx, &fy);
            prop_assert_eq!(a::n_sub(&x, &y), out.0);
        }

        /// The 32-bit backend gives the same Montgomery numbers as the
        /// 64-bit one.
        #[test]
        fn backends_agree(x in number(), y in number()) {
            let b64 = |l: &[u64; 4]| a::to_be_bytes(l);
            let b32 = |l: &[u32; 8]| arith32::to_be_bytes(l);
            prop_assert_eq!(arith32::to_be_bytes(&arith32::from_be_bytes(&x)), x);
            prop_assert_eq!(a::to_be_bytes(&a::from_be_bytes(&x)), x);
            for (m64, m32) in [(&a::P, &arith32::P), (&a::N, &arith32::N)] {
                prop_assert_eq!(b64(m64), b32(m32));
                let (x64, x32) = (a::from_be_bytes(&x), arith32::from_be_bytes(&x));
                prop_assert_eq!(a::lt_mask(&x64, m64) & 1, u64::from(arith32::lt_mask(&x32, m32) & 1));
                prop_assert_eq!(b64(&a::reduce_once(&x64, m64)), b32(&arith32::reduce_once(&x32, m32)));
                prop_assert_eq!(a::is_zero_mask(&x64) & 1, u64::from(arith32::is_zero_mask(&x32) & 1));
            }
            let (x64, y64) = (reduced(&x, &a::P), reduced(&y, &a::P));
            let (x32, y32) = (arith32::from_be_bytes(&b64(&x64)), arith32::from_be_bytes(&b64(&y64)));
            prop_assert_eq!(b64(&a::p_mul(&x64, &y64)), b32(&arith32::p_mul(&x32, &y32)));
            prop_assert_eq!(b64(&a::p_square(&x64)), b32(&arith32::p_square(&x32)));
            prop_assert_eq!(b64(&a::p_add(&x64, &y64)), b32(&arith32::p_add(&x32, &y32)));
            prop_assert_eq!(b64(&a::p_sub(&x64, &y64)), b32(&arith32::p_sub(&x32, &y32)));
            let (x64, y64) = (reduced(&x, &a::N), reduced(&y, &a::N));
            let (x32, y32) = (arith32::from_be_bytes(&b64(&x64)), arith32::from_be_bytes(&b64(&y64)));
            prop_assert_eq!(b64(&a::n_mul(&x64, &y64)), b32(&arith32::n_mul(&x32, &y32)));
            prop_assert_eq!(b64(&a::n_square(&x64)), b32(&arith32::n_square(&x32)));
            prop_assert_eq!(b64(&a::n_add(&x64, &y64)), b32(&arith32::n_add(&x32, &y32)));
            prop_assert_eq!(b64(&a::n_sub(&x64, &y64)), b32(&arith32::n_sub(&x32, &y32)));
        }
    }

    #[test]
    fn is_zero_mask_of_every_limb_pattern() {
        // Zero is zero; a value with any one limb set, or with two limbs
        // holding the same word (which an XOR would cancel), is not.
        assert_eq!(a::is_zero_mask(&[0; 4]), u64::MAX);
        assert_eq!(arith32::is_zero_mask(&[0; 8]), u32::MAX);
        for i in 0..8 {
            for j in i..8 {
                let mut l32 = [0u32; 8];
                l32[i] = 0x8000_0001;
                l32[j] = 0x8000_0001;
                assert_eq!(arith32::is_zero_mask(&l32), 0, "limbs {i}, {j}");
                let mut l64 = [0u64; 4];
                l64[i / 2] = 0x8000_0000_0000_0001;
                l64[j / 2] = 0x8000_0000_0000_0001;
                assert_eq!(a::is_zero_mask(&l64), 0, "limbs {}, {}", i / 2, j / 2);
            }
        }
    }

    #[test]
    fn constants() {
        assert_eq!(arith32::LIMBS * 32, 256);
        assert_eq!(arith32::to_be_bytes(&arith32::ONE), a::to_be_bytes(&a::ONE));
        // R mod p and R mod n are 2^256 − p and 2^256 − n; the backends
        // agree on them.
        let neg = |m: [u8; 32]| {
            let mut out = [0u8; 32];
            let mut borrow = 0i16;
            for i in (0..32).rev() {
                let t = -i16::from(m[i]) - borrow;
                out[i] = t.rem_euclid(256) as u8;
                borrow = i16::from(t < 0);
            }
            out
        };
        assert_eq!(a::to_be_bytes(&a::R_P), neg(b32(P_HEX)));
        assert_eq!(a::to_be_bytes(&a::R_N), neg(b32(N_HEX)));
        assert_eq!(arith32::to_be_bytes(&arith32::R_P), neg(b32(P_HEX)));
        assert_eq!(arith32::to_be_bytes(&arith32::R_N), neg(b32(N_HEX)));
        assert_eq!(a::to_be_bytes(&a::P), b32(P_HEX));
        assert_eq!(a::to_be_bytes(&a::N), b32(N_HEX));
    }

    /// The 32-bit backend against fiat-crypto's 32-bit code (the same
    /// Montgomery form, limb for limb) on every pair of edge values, where
    /// the final subtraction and the carries out of the top word are
    /// decided, and on a run of chained products (each output the next
    /// input, so that outputs near the modulus are fed back).
    #[test]
    fn backend32_matches_fiat32_on_edges() {
        use fiat_crypto::p256_32 as fp;
        use fiat_crypto::p256_scalar_32 as fn_;
        let edges = edge_values();
        for (m, is_p) in [(&arith32::P, true), (&arith32::N, false)] {
            let vals: Vec<[u32; 8]> = edges
                .iter()
                .map(|v| arith32::reduce_once(&arith32::from_be_bytes(v), m))
                .collect();
            for x in &vals {
                for y in &vals {
                    let (mul, add, sub) = if is_p {
                        let (fx, fy) = (
                            fp::fiat_p256_montgomery_domain_field_element(*x),
                            fp::fiat_p256_montgomery_domain_field_element(*y),
                        );
                        let mut o = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
                        fp::fiat_p256_mul(&mut o, &fx, &fy);
                        let mul = o.0;
                        fp::fiat_p256_add(&mut o, &fx, &fy);
                        let add = o.0;
                        fp::fiat_p256_sub(&mut o, &fx, &fy);
                        (mul, add, o.0)
                    } else {
                        let (fx, fy) = (
                            fn_::fiat_p256_scalar_montgomery_domain_field_element(*x),
                            fn_::fiat_p256_scalar_montgomery_domain_field_element(*y),
                        );
                        let mut o = fn_::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
                        fn_::fiat_p256_scalar_mul(&mut o, &fx, &fy);
                        let mul = o.0;
                        fn_::fiat_p256_scalar_add(&mut o, &fx, &fy);
                        let add = o.0;
                        fn_::fiat_p256_scalar_sub(&mut o, &fx, &fy);
                        (mul, add, o.0)
                    };
                    if is_p {
                        assert_eq!(arith32::p_mul(x, y), mul);
                        assert_eq!(arith32::p_add(x, y), add);
                        assert_eq!(arith32::p_sub(x, y), sub);
                    } else {
                        assert_eq!(arith32::n_mul(x, y), mul);
                        assert_eq!(arith32::n_add(x, y), add);
                        assert_eq!(arith32::n_sub(x, y), sub);
                    }
                }
            }
            // Chained squares from m − 1 (the largest input), every
            // output checked.
            let mut x = *vals.iter().max_by_key(|v| arith32::to_be_bytes(v)).unwrap();
            for _ in 0..2000 {
                let want = if is_p {
                    let fx = fp::fiat_p256_montgomery_domain_field_element(x);
                    let mut o = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
                    fp::fiat_p256_square(&mut o, &fx);
                    o.0
                } else {
                    let fx = fn_::fiat_p256_scalar_montgomery_domain_field_element(x);
                    let mut o = fn_::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
                    fn_::fiat_p256_scalar_square(&mut o, &fx);
                    o.0
                };
                let got = if is_p {
                    arith32::p_square(&x)
                } else {
                    arith32::n_square(&x)
                };
                assert_eq!(got, want);
                x = got;
            }
        }
    }
}

// ---------------------------------------------------------------------
// Field and scalar elements against the p256 crate.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn field_matches_oracle(x in number(), y in number()) {
        let (fx, okx) = Fe::from_bytes(&x);
        let (fy, oky) = Fe::from_bytes(&y);
        let (ox, oy) = (oracle_fe(&x), oracle_fe(&y));
        prop_assert_eq!(bool::from(okx), ox.is_some());
        prop_assert_eq!(bool::from(oky), oy.is_some());
        let (Some(ox), Some(oy)) = (ox, oy) else { return Ok(()) };
        let enc = |v: OracleFe| -> [u8; 32] { v.to_repr().into() };
        prop_assert_eq!(fx.be_bytes(), x);
        prop_assert_eq!(fx.mul(&fy).be_bytes(), enc(ox * oy));
        prop_assert_eq!(fx.square().be_bytes(), enc(ox.square()));
        prop_assert_eq!(fx.add(&fy).be_bytes(), enc(ox + oy));
        prop_assert_eq!(fx.sub(&fy).be_bytes(), enc(ox - oy));
        prop_assert_eq!(fx.neg().be_bytes(), enc(-ox));
        prop_assert_eq!(fx.double().be_bytes(), enc(ox.double()));
        prop_assert_eq!(fx.invert().be_bytes(), enc(Option::from(ox.invert()).unwrap_or(OracleFe::ZERO)));
        let (root, is_square) = fx.sqrt();
        let oroot: Option<OracleFe> = Option::from(ox.sqrt());
        prop_assert_eq!(bool::from(is_square), oroot.is_some());
        if let Some(r) = oroot {
            // Either root.
            prop_assert!(root.be_bytes() == enc(r) || root.be_bytes() == enc(-r));
        }
        prop_assert_eq!(bool::from(fx.is_zero()), x == [0; 32]);
        prop_assert_eq!(bool::from(fx.is_odd()), x[31] & 1 == 1);
        prop_assert_eq!(bool::from(fx.ct_eq(&fy)), x == y);
    }

    #[test]
    fn scalar_matches_oracle(x in number(), y in number()) {
        let (sx, okx) = Scalar::from_bytes(&x);
        let (sy, oky) = Scalar::from_bytes(&y);
        let (ox, oy) = (oracle_scalar(&x), oracle_scalar(&y));
        prop_assert_eq!(bool::from(okx), ox.is_some());
        prop_assert_eq!(bool::from(oky), oy.is_some());
        let (Some(ox), Some(oy)) = (ox, oy) else { return Ok(()) };
        let enc = |v: p256::Scalar| -> [u8; 32] { v.to_repr().into() };
        prop_assert_eq!(sx.be_bytes(), x);
        prop_assert_eq!(sx.mul(&sy).be_bytes(), enc(ox * oy));
        prop_assert_eq!(sx.add(&sy).be_bytes(), enc(ox + oy));
        prop_assert_eq!(sx.neg().be_bytes(), enc(-ox));
        prop_assert_eq!(sx.invert().be_bytes(), enc(Option::from(ox.invert()).unwrap_or(p256::Scalar::ZERO)));
        prop_assert_eq!(bool::from(sx.is_zero()), x == [0; 32]);
    }

    /// Numbers at or above the modulus are flagged and reduced.
    #[test]
    fn out_of_range_inputs_reduce(x in number()) {
        let (v, ok) = Fe::from_bytes(&x);
        if !bool::from(ok) {
            let (w, ok2) = Fe::from_bytes(&v.be_bytes());
            prop_assert!(bool::from(ok2));
            prop_assert_eq!(w.be_bytes(), v.be_bytes());
            prop_assert_eq!(v.be_bytes(), oracle_encode_reduced(&x, P_HEX));
        }
        let (s, ok) = Scalar::from_bytes(&x);
        if !bool::from(ok) {
            prop_assert_eq!(s.be_bytes(), oracle_encode_reduced(&x, N_HEX));
        }
    }
}

/// `x − m` for `m ≤ x < 2m`.
fn oracle_encode_reduced(x: &[u8; 32], m_hex: &str) -> [u8; 32] {
    let m = b32(m_hex);
    let mut d = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let t = i16::from(x[i]) - i16::from(m[i]) - borrow;
        d[i] = t.rem_euclid(256) as u8;
        borrow = i16::from(t < 0);
    }
    assert_eq!(borrow, 0);
    d
}

#[test]
fn field_and_scalar_constants() {
    let mut one = [0u8; 32];
    one[31] = 1;
    assert_eq!(Fe::ONE.be_bytes(), one);
    assert_eq!(Fe::ZERO.be_bytes(), [0; 32]);
    assert_eq!(Scalar::ONE.be_bytes(), one);
    assert_eq!(Fe::ZERO.invert().be_bytes(), [0; 32]);
    // b and G (SEC 2, 2.4.2): G is on the curve.
    assert_eq!(
        hex_of(&super::point::B.be_bytes()),
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"
    );
    let (_, on_curve) = Affine::from_coordinates(G.x, G.y);
    assert!(bool::from(on_curve));
    let (_, on_curve) = Affine::from_coordinates(G.x, G.y.add(&Fe::ONE));
    assert!(!bool::from(on_curve));
}

// ---------------------------------------------------------------------
// Points against pyca/cryptography's values.

/// (k, x, y): k·G.
type BaseLine = ([u8; 32], [u8; 32], [u8; 32]);
/// (k, qx, qy, x): x(k·Q).
type DhLine = ([u8; 32], [u8; 32], [u8; 32], [u8; 32]);

struct PointLines {
    base: Vec<BaseLine>,
    dh: Vec<DhLine>,
}

fn point_lines() -> PointLines {
    let mut out = PointLines {
        base: Vec::new(),
        dh: Vec::new(),
    };
    for line in include_str!("testdata/p256-points.txt").lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first() {
            Some(&"G") => out.base.push((b32(f[1]), b32(f[2]), b32(f[3]))),
            Some(&"DH") => out.dh.push((b32(f[1]), b32(f[2]), b32(f[3]), b32(f[4]))),
            _ => {}
        }
    }
    assert!(out.base.len() >= 60 && out.dh.len() >= 20);
    out
}

#[test]
fn base_multiples_match_pyca() {
    for (k, x, y) in point_lines().base {
        let mut want = std::vec![4u8];
        want.extend(x);
        want.extend(y);
        // Constant time, with the comb or the window.
        assert_eq!(
            encode_projective(&mul::mul_base(&k)),
            want,
            "k = {}",
            hex_of(&k)
        );
        // Variable time: k·G + 0·Q.
        let r = mul::mul_verify_vartime(&k, &[0; 32], &G);
        assert_eq!(encode_jacobian(&r), want, "k = {}", hex_of(&k));
        // 0·G + k·G through the Q side.
        let r = mul::mul_verify_vartime(&[0; 32], &k, &G);
        assert_eq!(encode_jacobian(&r), want, "k = {}", hex_of(&k));
    }
}

#[test]
fn variable_base_multiples_match_pyca() {
    for (k, qx, qy, x) in point_lines().dh {
        let (q, ok) = Affine::from_coordinates(fe(&qx), fe(&qy));
        assert!(bool::from(ok));
        let r = mul::mul_verify_vartime(&[0; 32], &k, &q);
        assert_eq!(
            r.affine_vartime().unwrap().x.be_bytes(),
            x,
            "k = {}",
            hex_of(&k)
        );
        assert!(r.vartime_x_equals(&fe(&x)));
    }
}

#[test]
fn tables_hold_the_right_multiples() {
    let g = p256::ProjectivePoint::GENERATOR;
    for (i, p) in table::G_ODD.iter().enumerate() {
        let want = g * p256::Scalar::from(2 * i as u64 + 1);
        assert_eq!(encode_affine(p), oracle_encode(&want), "G_ODD[{i}]");
    }
    #[cfg(feature = "p256-tables")]
    {
        let mut base = g;
        for (j, row) in table::COMB.iter().enumerate() {
            for (m, p) in row.iter().enumerate() {
                let want = base * p256::Scalar::from(m as u64 + 1);
                assert_eq!(encode_affine(p), oracle_encode(&want), "COMB[{j}][{m}]");
            }
            for _ in 0..8 {
                base = base.double();
            }
        }
    }
    #[cfg(not(feature = "p256-tables"))]
    for (m, p) in table::G_SMALL.iter().enumerate() {
        let want = g * p256::Scalar::from(m as u64 + 1);
        assert_eq!(encode_affine(p), oracle_encode(&want), "G_SMALL[{m}]");
    }
}

// ---------------------------------------------------------------------
// Point formulas and scalar multiplication against the p256 crate.

/// A few points with special relations: P, −P, 2P, and the identity.
fn special_points(k: &[u8; 32]) -> Vec<p256::ProjectivePoint> {
    let p = oracle_mul_g(k);
    std::vec![
        p,
        -p,
        p.double(),
        p256::ProjectivePoint::IDENTITY,
        -p.double(),
        p + p.double()
    ]
}

fn projective_of(p: &p256::ProjectivePoint) -> Projective {
    if bool::from(p.is_identity()) {
        Projective::IDENTITY
    } else {
        Projective::from_affine(&affine_of_oracle(p))
    }
}

fn jacobian_of(p: &p256::ProjectivePoint) -> Jacobian {
    if bool::from(p.is_identity()) {
        Jacobian::IDENTITY
    } else {
        Jacobian::from_affine(&affine_of_oracle(p))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn formulas_match_oracle(k1 in number(), k2 in number()) {
        let mut pts = special_points(&k1);
        pts.extend(special_points(&k2));
        for a in &pts {
            // Projective inputs with Z ≠ 1: a doubled and then the sum
            // taken from there exercises general Z.
            let pa = projective_of(a);
            let ja = jacobian_of(a);
            prop_assert_eq!(encode_projective(&pa.double()), oracle_encode(&a.double()));
            prop_assert_eq!(encode_jacobian(&ja.double()), oracle_encode(&a.double()));
            for b in &pts {
                let want = oracle_encode(&(a + b));
                let pb = projective_of(b);
                prop_assert_eq!(encode_projective(&pa.add(&pb)), want.clone());
                prop_assert_eq!(encode_jacobian(&ja.add_vartime(&jacobian_of(b))), want.clone());
                // General Z on both sides: (2a + 2b) = 2a + 2b.
                let want2 = oracle_encode(&(a.double() + b.double()));
                prop_assert_eq!(encode_projective(&pa.double().add(&pb.double())), want2.clone());
                prop_assert_eq!(
                    encode_jacobian(&ja.double().add_vartime(&jacobian_of(b).double())),
                    want2
                );
                if !bool::from(b.is_identity()) {
                    let ab = affine_of_oracle(b);
                    prop_assert_eq!(encode_projective(&pa.add_affine(&ab)), want.clone());
                    prop_assert_eq!(encode_jacobian(&ja.add_affine_vartime(&ab)), want.clone());
                    let want3 = oracle_encode(&(a.double() + b));
                    prop_assert_eq!(encode_projective(&pa.double().add_affine(&ab)), want3.clone());
                    prop_assert_eq!(encode_jacobian(&ja.double().add_affine_vartime(&ab)), want3);
                }
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn scalar_multiplication_matches_oracle(k in number(), u1 in number(), u2 in number(), q in number()) {
        // Any 256-bit k, including k ≥ n (the result is (k mod n)·G).
        prop_assert_eq!(encode_projective(&mul::mul_base(&k)), oracle_encode(&oracle_mul_g(&k)));
        let qp = oracle_mul_g(&q);
        if bool::from(qp.is_identity()) {
            return Ok(());
        }
        let qa = affine_of_oracle(&qp);
        let s1 = oracle_scalar(&u1);
        let s2 = oracle_scalar(&u2);
        let (Some(s1), Some(s2)) = (s1, s2) else { return Ok(()) };
        let want = p256::ProjectivePoint::GENERATOR * s1 + qp * s2;
        prop_assert_eq!(encode_jacobian(&mul::mul_verify_vartime(&u1, &u2, &qa)), oracle_encode(&want));
        // Q = ±G makes the two halves collide (doublings and the identity
        // inside the loop).
        let want = p256::ProjectivePoint::GENERATOR * (s1 + s2);
        prop_assert_eq!(encode_jacobian(&mul::mul_verify_vartime(&u1, &u2, &G)), oracle_encode(&want));
        let want = p256::ProjectivePoint::GENERATOR * (s1 - s2);
        prop_assert_eq!(encode_jacobian(&mul::mul_verify_vartime(&u1, &u2, &G.neg())), oracle_encode(&want));
        // u1 = u2 with Q = −G: the identity.
        prop_assert_eq!(encode_jacobian(&mul::mul_verify_vartime(&u1, &u1, &G.neg())), std::vec![0]);
    }

    /// The recodings give back their number: Σ d_i·16^i and Σ d_i·2^i,
    /// with the digits in range and the wNAF's zeros in place.
    #[test]
    fn recodings_reconstruct(k in number()) {
        let weight = |base: u64, i: usize| {
            let mut w = p256::Scalar::ONE;
            for _ in 0..i {
                w *= p256::Scalar::from(base);
            }
            w
        };
        let signed = |d: i8| {
            let s = p256::Scalar::from(u64::from(d.unsigned_abs()));
            if d < 0 { -s } else { s }
        };
        let want = oracle_mul_g(&k); // k mod n as a point: compare points
        let digits = mul::recode_signed4(&k);
        let mut sum = p256::Scalar::ZERO;
        for (i, d) in digits.iter().enumerate() {
            prop_assert!((-7..=8).contains(d) || (i == 64 && (0..=1).contains(d)));
            sum += signed(*d) * weight(16, i);
        }
        prop_assert_eq!(oracle_encode(&(p256::ProjectivePoint::GENERATOR * sum)), oracle_encode(&want));
        for w in [5usize, 7] {
            let naf = mul::wnaf_vartime(&k, w);
            let mut sum = p256::Scalar::ZERO;
            let mut last_nonzero: Option<usize> = None;
            for (i, d) in naf.iter().enumerate().take(WNAF_LEN) {
                if *d != 0 {
                    prop_assert!(d % 2 != 0 && i32::from(d.unsigned_abs()) < (1 << (w - 1)));
                    if let Some(j) = last_nonzero {
                        prop_assert!(i - j >= w);
                    }
                    last_nonzero = Some(i);
                    sum += signed(*d) * weight(2, i);
                }
            }
            prop_assert_eq!(oracle_encode(&(p256::ProjectivePoint::GENERATOR * sum)), oracle_encode(&want));
        }
    }
}

/// Decompression picks the root of the requested parity, and refuses an
/// `x` with no point.
#[test]
fn decompression() {
    for (_, x, y) in point_lines().base {
        let odd = Choice::from(y[31] & 1);
        let (p, ok) = Affine::decompress(fe(&x), odd);
        assert!(bool::from(ok));
        assert_eq!(p.y.be_bytes(), y);
        let (p, ok) = Affine::decompress(fe(&x), !odd);
        assert!(bool::from(ok));
        assert_eq!(p.y.neg().be_bytes(), y);
    }
    // x = 1: 1 − 3 + b is not a square mod p.
    let mut one = [0u8; 32];
    one[31] = 1;
    let (_, ok) = Affine::decompress(fe(&one), Choice::from(0));
    assert!(!bool::from(ok));
}

// ---------------------------------------------------------------------
// ECDSA against the p256/ecdsa crates (RFC 6979 signing, verification,
// DER).

/// DER-like inputs: a SEQUENCE of two INTEGERs whose lengths, leading
/// bytes and tags are sometimes right and sometimes not, and raw bytes.
fn der_like() -> impl Strategy<Value = Vec<u8>> {
    let integer = (
        prop::collection::vec(any::<u8>(), 0..35),
        any::<bool>(),
        prop_oneof![8 => Just(0x02u8), 1 => any::<u8>()],
        prop_oneof![8 => Just(0i8), 1 => -2i8..=2],
    )
        .prop_map(|(mut v, minimal, tag, len_skew)| {
            if minimal {
                while v.len() > 1 && v[0] == 0 && v[1] < 0x80 {
                    v.remove(0);
                }
                if v.first().is_some_and(|b| *b >= 0x80) {
                    v.insert(0, 0);
                }
            }
            let len = (v.len() as i16 + i16::from(len_skew)).clamp(0, 255) as u8;
            let mut out = vec![tag, len];
            out.extend(v);
            out
        });
    prop_oneof![
        6 => (integer.clone(), integer, prop_oneof![8 => Just(0x30u8), 1 => any::<u8>()],
              prop_oneof![8 => Just(0i8), 1 => -2i8..=2], prop::collection::vec(any::<u8>(), 0..2))
            .prop_map(|(r, s, tag, skew, trailer)| {
                let body_len = r.len() + s.len();
                let mut out = vec![tag, (body_len as i16 + i16::from(skew)).clamp(0, 255) as u8];
                out.extend(r);
                out.extend(s);
                out.extend(trailer);
                out
            }),
        1 => prop::collection::vec(any::<u8>(), 0..80),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Same signatures as RustCrypto's RFC 6979 signer, for any key and
    /// message; each verifies (as does its `n − s` twin) and refuses
    /// another message.
    #[test]
    fn ecdsa_matches_oracle(d in number(), msg in prop::collection::vec(any::<u8>(), 0..200)) {
        use p256::ecdsa::signature::Signer;
        use crate::sign::SigningKey;
        let ours = SigningKey::from_slice(&d);
        let theirs = p256::ecdsa::SigningKey::from_slice(&d);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok());
        let (Ok(ours), Ok(theirs)) = (ours, theirs) else { return Ok(()) };
        let sig: p256::ecdsa::Signature = theirs.sign(&msg);
        let got = ours.sign(&msg);
        prop_assert_eq!(hex_of(got.as_bytes()), hex_of(&sig.to_bytes()));
        prop_assert_eq!(hex_of(got.to_der().as_bytes()), hex_of(sig.to_der().as_bytes()));
        prop_assert_eq!(ours.public_key().to_uncompressed().to_vec(), oracle_encode(&oracle_mul_g(&d)));
        let pk = ours.public_key();
        prop_assert!(pk.verify(&msg, got.as_bytes()));
        let mut other = msg.clone();
        other.push(1);
        prop_assert!(!pk.verify(&other, got.as_bytes()));
        // (r, n − s) verifies too.
        let (r, s) = got.as_bytes().split_at(32);
        let s = oracle_scalar(&s.try_into().unwrap()).unwrap();
        let mut twin = r.to_vec();
        twin.extend_from_slice(&(-s).to_repr());
        prop_assert!(pk.verify(&msg, &twin));
    }

    /// Strict DER: accepted exactly when the ecdsa crate parses the input
    /// and re-encodes it to the same bytes.
    #[test]
    fn der_matches_oracle(bytes in der_like()) {
        use crate::sign::Signature;
        let ours = Signature::from_der(&bytes);
        let theirs = ecdsa::Signature::<p256::NistP256>::from_der(&bytes)
            .ok()
            .filter(|s| s.to_der().as_bytes() == bytes.as_slice());
        prop_assert_eq!(ours.is_ok(), theirs.is_some(), "{}", hex_of(&bytes));
        if let (Ok(o), Some(t)) = (ours, theirs) {
            prop_assert_eq!(hex_of(o.as_bytes()), hex_of(&t.to_bytes()));
            let der = o.to_der();
            prop_assert_eq!(der.as_bytes(), bytes.as_slice());
        }
    }
}
