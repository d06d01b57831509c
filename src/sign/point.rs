//! Points of P-256, `y² = x³ − 3x + b` over GF(p) (SEC 2 v2, 2.4.2), in
//! three coordinate systems:
//!
//! - [`Affine`] `(x, y)`: public keys and the precomputed tables; never
//!   the identity.
//! - [`Projective`] `(X : Y : Z)`, `x = X/Z`, `y = Y/Z`, with the complete
//!   formulas of Renes, Costello and Batina, "Complete addition formulas
//!   for prime order elliptic curves" (EUROCRYPT 2016), algorithms 4
//!   (addition), 5 (mixed addition) and 6 (doubling) for `a = −3`: one
//!   sequence of operations for every pair of points, the identity and
//!   equal points included, so no branch and no exception. Everything that
//!   touches a secret scalar uses these, except the first pass of the
//!   signing comb (below).
//! - [`Jacobian`] `(X, Y, Z)`, `x = X/Z²`, `y = Y/Z³`: faster formulas
//!   (Explicit-Formulas Database: `dbl-2001-b` for `a = −3`,
//!   `madd-2007-bl`, `add-2007-bl`). Their doubling and the mixed addition
//!   `add_affine_unchecked` run without a branch and serve the first pass
//!   of the signing comb (with `p256-tables`), where the points added are
//!   never equal or opposite; the methods whose special cases (the
//!   identity, equal or opposite points) are branches are variable time,
//!   for verification only, where every input is public: their names say
//!   `vartime`.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::field::Fe;

/// The curve coefficient `b` (SEC 2 v2, 2.4.2).
pub(crate) const B: Fe = Fe::from_be_bytes_const(&[
    0x5A, 0xC6, 0x35, 0xD8, 0xAA, 0x3A, 0x93, 0xE7, 0xB3, 0xEB, 0xBD, 0x55, 0x76, 0x98, 0x86, 0xBC,
    0x65, 0x1D, 0x06, 0xB0, 0xCC, 0x53, 0xB0, 0xF6, 0x3B, 0xCE, 0x3C, 0x3E, 0x27, 0xD2, 0x60, 0x4B,
]);

/// The base point `G` (SEC 2 v2, 2.4.2).
pub(crate) const G: Affine = Affine {
    x: Fe::from_be_bytes_const(&[
        0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40,
        0xF2, 0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98,
        0xC2, 0x96,
    ]),
    y: Fe::from_be_bytes_const(&[
        0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E,
        0x16, 0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF,
        0x51, 0xF5,
    ]),
};

/// A point other than the identity, `(x, y)`.
#[derive(Clone, Copy, Zeroize)]
pub(crate) struct Affine {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
}

impl Affine {
    /// The point with these coordinates, if it is on the curve.
    pub(crate) fn from_coordinates(x: Fe, y: Fe) -> (Affine, Choice) {
        let ok = y.square().ct_eq(&curve_rhs(&x));
        (Affine { x, y }, ok)
    }

    /// The point with this `x` and the `y` of the given parity (SEC1
    /// point decompression), if there is one.
    pub(crate) fn decompress(x: Fe, y_odd: Choice) -> (Affine, Choice) {
        let (root, is_square) = curve_rhs(&x).sqrt();
        let flip = root.is_odd() ^ y_odd;
        let y = Fe::conditional_select(&root, &root.neg(), flip);
        (Affine { x, y }, is_square)
    }

    /// `row[m − 1]` for `m` in 1..=8, `(0, 0)` (not a point) for 0, in
    /// constant time: every entry is read and masked.
    pub(crate) fn lookup(row: &[Affine; 8], m: u8) -> Affine {
        let mut out = Affine {
            x: Fe::ZERO,
            y: Fe::ZERO,
        };
        for (entry, i) in row.iter().zip(1u8..) {
            let hit = m.ct_eq(&i);
            out.x.or_assign_if(&entry.x, hit);
            out.y.or_assign_if(&entry.y, hit);
        }
        out
    }

    /// `−self`.
    pub(crate) const fn neg(&self) -> Affine {
        Affine {
            x: self.x,
            y: self.y.neg(),
        }
    }

    /// Equality of public points, in variable time.
    pub(crate) fn vartime_eq(&self, rhs: &Affine) -> bool {
        self.x.vartime_eq(&rhs.x) && self.y.vartime_eq(&rhs.y)
    }
}

impl ConditionallySelectable for Affine {
    fn conditional_select(a: &Affine, b: &Affine, choice: Choice) -> Affine {
        Affine {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
        }
    }
}

/// `x³ − 3x + b`.
fn curve_rhs(x: &Fe) -> Fe {
    let x3 = x.square().mul(x);
    let three_x = x.double().add(x);
    x3.sub(&three_x).add(&B)
}

/// A point in homogeneous projective coordinates; the identity is
/// `(0 : 1 : 0)`.
#[derive(Clone, Copy, Zeroize)]
pub(crate) struct Projective {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl Projective {
    /// The identity.
    pub(crate) const IDENTITY: Projective = Projective {
        x: Fe::ZERO,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    /// The point `a`.
    pub(crate) const fn from_affine(a: &Affine) -> Projective {
        Projective {
            x: a.x,
            y: a.y,
            z: Fe::ONE,
        }
    }

    /// `self + rhs`: RCB algorithm 4 (`a = −3`), 12 products and 2 by `b`.
    pub(crate) const fn add(&self, rhs: &Projective) -> Projective {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let (x2, y2, z2) = (&rhs.x, &rhs.y, &rhs.z);
        let t0 = x1.mul(x2);
        let t1 = y1.mul(y2);
        let t2 = z1.mul(z2);
        let t3 = x1.add(y1).mul(&x2.add(y2)).sub(&t0.add(&t1)); // X1·Y2 + X2·Y1
        let t4 = y1.add(z1).mul(&y2.add(z2)).sub(&t1.add(&t2)); // Y1·Z2 + Y2·Z1
        let y3 = x1.add(z1).mul(&x2.add(z2)).sub(&t0.add(&t2)); // X1·Z2 + X2·Z1
        Projective::add_tail(t0, t1, t2, t3, t4, y3)
    }

    /// `self + rhs` for an affine `rhs`: RCB algorithm 5 (`a = −3`), 11
    /// products and 2 by `b`. Complete for every `self`; `rhs` is never
    /// the identity (an affine point cannot be).
    pub(crate) const fn add_affine(&self, rhs: &Affine) -> Projective {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let (x2, y2) = (&rhs.x, &rhs.y);
        let t0 = x1.mul(x2);
        let t1 = y1.mul(y2);
        let t3 = x2.add(y2).mul(&x1.add(y1)).sub(&t0.add(&t1));
        let t4 = y2.mul(z1).add(y1);
        let y3 = x2.mul(z1).add(x1);
        Projective::add_tail(t0, t1, *z1, t3, t4, y3)
    }

    /// The part of algorithms 4 and 5 after the cross products: `t0 =
    /// X1·X2`, `t1 = Y1·Y2`, `t2 = Z1·Z2`, `t3 = X1·Y2 + X2·Y1`, `t4 =
    /// Y1·Z2 + Y2·Z1`, `y3 = X1·Z2 + X2·Z1`.
    #[inline(always)]
    const fn add_tail(t0: Fe, t1: Fe, t2: Fe, t3: Fe, t4: Fe, y3: Fe) -> Projective {
        let z3 = B.mul(&t2);
        let x3 = y3.sub(&z3);
        let z3 = x3.double();
        let x3 = x3.add(&z3);
        let z3 = t1.sub(&x3);
        let x3 = t1.add(&x3);
        let y3 = B.mul(&y3);
        let t1 = t2.double();
        let t2 = t1.add(&t2);
        let y3 = y3.sub(&t2).sub(&t0);
        let t1 = y3.double();
        let y3 = t1.add(&y3);
        let t1 = t0.double();
        let t0 = t1.add(&t0).sub(&t2);
        let t1 = t4.mul(&y3);
        let t2 = t0.mul(&y3);
        let y3 = x3.mul(&z3).add(&t2);
        let x3 = t3.mul(&x3).sub(&t1);
        let z3 = t4.mul(&z3);
        let t1 = t3.mul(&t0);
        let z3 = z3.add(&t1);
        Projective {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `2·self`: RCB algorithm 6 (`a = −3`), 8 products, 3 squares and 2
    /// by `b`.
    pub(crate) const fn double(&self) -> Projective {
        let (x, y, z) = (&self.x, &self.y, &self.z);
        let t0 = x.square();
        let t1 = y.square();
        let t2 = z.square();
        let t3 = x.mul(y).double();
        let z3 = x.mul(z).double();
        let y3 = B.mul(&t2).sub(&z3);
        let x3 = y3.double();
        let y3 = x3.add(&y3);
        let x3 = t1.sub(&y3);
        let y3 = t1.add(&y3);
        let y3 = x3.mul(&y3);
        let x3 = x3.mul(&t3);
        let t3 = t2.double();
        let t2 = t2.add(&t3);
        let z3 = B.mul(&z3).sub(&t2).sub(&t0);
        let t3 = z3.double();
        let z3 = z3.add(&t3);
        let t3 = t0.double();
        let t0 = t3.add(&t0).sub(&t2);
        let t0 = t0.mul(&z3);
        let y3 = y3.add(&t0);
        let t0 = y.mul(z).double();
        let z3 = t0.mul(&z3);
        let x3 = x3.sub(&z3);
        let z3 = t0.mul(&t1).double().double();
        Projective {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `(X, Y, Z)` as they are, for the batch normalisation of the tables.
    pub(crate) const fn coordinates(&self) -> (Fe, Fe, Fe) {
        (self.x, self.y, self.z)
    }

    /// The affine `x` coordinate (0 for the identity). Constant time.
    pub(crate) fn affine_x(&self) -> Fe {
        self.x.mul(&self.z.invert())
    }

    /// The affine point, and whether `self` is not the identity (if it is,
    /// the point is `(0, 0)`). Constant time.
    pub(crate) fn affine(&self) -> (Affine, Choice) {
        let zinv = self.z.invert();
        let p = Affine {
            x: self.x.mul(&zinv),
            y: self.y.mul(&zinv),
        };
        (p, !self.z.is_zero())
    }
}

impl ConditionallySelectable for Projective {
    fn conditional_select(a: &Projective, b: &Projective, choice: Choice) -> Projective {
        Projective {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

/// A point in Jacobian coordinates; the identity has `Z = 0`. The
/// variable-time methods serve verification; `double`,
/// `add_affine_unchecked` and the select serve the first pass of the
/// signing comb, where the special cases cannot occur.
#[derive(Clone, Copy, Zeroize)]
pub(crate) struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl ConditionallySelectable for Jacobian {
    fn conditional_select(a: &Jacobian, b: &Jacobian, choice: Choice) -> Jacobian {
        Jacobian {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl Jacobian {
    /// The identity.
    pub(crate) const IDENTITY: Jacobian = Jacobian {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    /// The point `a`.
    pub(crate) const fn from_affine(a: &Affine) -> Jacobian {
        Jacobian {
            x: a.x,
            y: a.y,
            z: Fe::ONE,
        }
    }

    /// Whether this is the identity.
    pub(crate) fn vartime_is_identity(&self) -> bool {
        self.z.is_zero().into()
    }

    /// `−self`.
    pub(crate) fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// `2·self` (`dbl-2001-b`, `a = −3`: 3 products, 5 squares), for every
    /// point and without a branch: the identity doubles to itself (`Z3 =
    /// 2·Y·Z`), and a prime-order curve has no point with `Y = 0`.
    pub(crate) fn double(&self) -> Jacobian {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let delta = z1.square();
        let gamma = y1.square();
        let beta = x1.mul(&gamma);
        let alpha = x1.sub(&delta).mul(&x1.add(&delta));
        let alpha = alpha.double().add(&alpha);
        let beta4 = beta.double().double();
        let x3 = alpha.square().sub(&beta4.double());
        let z3 = y1.add(z1).square().sub(&gamma).sub(&delta);
        let gamma2_8 = gamma.square().double().double().double();
        let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma2_8);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + rhs` for an affine `rhs` (`madd-2007-bl`: 7 products, 4
    /// squares), with the special cases as branches.
    pub(crate) fn add_affine_vartime(&self, rhs: &Affine) -> Jacobian {
        if self.vartime_is_identity() {
            return Jacobian::from_affine(rhs);
        }
        let (sum, h, r) = self.madd(rhs);
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        sum
    }

    /// `self + rhs` by `madd-2007-bl` without a branch, for `self` neither
    /// the identity nor `±rhs` (the caller rules those out; for them the
    /// result is not the sum). Constant time.
    #[cfg(feature = "p256-tables")]
    pub(crate) fn add_affine_unchecked(&self, rhs: &Affine) -> Jacobian {
        self.madd(rhs).0
    }

    /// `madd-2007-bl`, with `H = U2 − X1` and `r = 2·(S2 − Y1)`, which are
    /// both 0 when `self = rhs` and `H` alone when `self = −rhs`.
    fn madd(&self, rhs: &Affine) -> (Jacobian, Fe, Fe) {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let z1z1 = z1.square();
        let u2 = rhs.x.mul(&z1z1);
        let s2 = rhs.y.mul(z1).mul(&z1z1);
        let h = u2.sub(x1);
        let r = s2.sub(y1).double();
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = x1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&y1.mul(&j).double());
        let z3 = z1.add(&h).square().sub(&z1z1).sub(&hh);
        let sum = Jacobian {
            x: x3,
            y: y3,
            z: z3,
        };
        (sum, h, r)
    }

    /// The same point in homogeneous coordinates: `(X·Z : Y : Z³)` (the
    /// identity, `Z = 0`, becomes `(0 : Y : 0)`).
    #[cfg(feature = "p256-tables")]
    pub(crate) fn to_projective(self) -> Projective {
        Projective {
            x: self.x.mul(&self.z),
            y: self.y,
            z: self.z.square().mul(&self.z),
        }
    }

    /// `self + rhs` (`add-2007-bl`: 11 products, 5 squares), with the
    /// special cases as branches.
    pub(crate) fn add_vartime(&self, rhs: &Jacobian) -> Jacobian {
        if self.vartime_is_identity() {
            return *rhs;
        }
        if rhs.vartime_is_identity() {
            return *self;
        }
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        let (x2, y2, z2) = (&rhs.x, &rhs.y, &rhs.z);
        let z1z1 = z1.square();
        let z2z2 = z2.square();
        let u1 = x1.mul(&z2z2);
        let u2 = x2.mul(&z1z1);
        let s1 = y1.mul(z2).mul(&z2z2);
        let s2 = y2.mul(z1).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = z1.add(z2).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// Whether `self` is not the identity and its affine `x`, a field
    /// element, equals the integer `x` (`< p`): `X = x·Z²`, no inversion.
    pub(crate) fn vartime_x_equals(&self, x: &Fe) -> bool {
        if self.vartime_is_identity() {
            return false;
        }
        x.mul(&self.z.square()).vartime_eq(&self.x)
    }

    /// The affine point (variable time; `None` for the identity).
    #[cfg(test)]
    pub(crate) fn affine_vartime(&self) -> Option<Affine> {
        if self.vartime_is_identity() {
            return None;
        }
        let zinv = self.z.invert();
        let zinv2 = zinv.square();
        Some(Affine {
            x: self.x.mul(&zinv2),
            y: self.y.mul(&zinv2).mul(&zinv),
        })
    }
}
