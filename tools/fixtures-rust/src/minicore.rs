// A tiny stand-in for `core`, so these fixtures build with a rustc that has no
// wasm standard library installed (no rust-std for wasm targets, no rust-src
// for -Zbuild-std). Only the lang items the fixtures use.
#[lang = "pointee_sized"]
pub trait PointeeSized {}
#[lang = "meta_sized"]
pub trait MetaSized: PointeeSized {}
#[lang = "sized"]
pub trait Sized: MetaSized {}
#[lang = "copy"]
pub trait Copy {}
impl Copy for i32 {}
impl Copy for u32 {}
impl<T: ?Sized> Copy for *const T {}
#[lang = "add"]
pub trait Add<Rhs = Self> {
    type Output;
    fn add(self, rhs: Rhs) -> Self::Output;
}
impl Add for i32 {
    type Output = i32;
    fn add(self, rhs: i32) -> i32 {
        self + rhs
    }
}
#[lang = "freeze"]
pub unsafe auto trait Freeze {}
