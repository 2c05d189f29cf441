//! Typed ids into the lists of the fact model: a `CertId` names a certificate of
//! `Bundle::certificates` and nothing else, so a join that stores an id of one list and reads
//! another does not compile. [`IdVec`] is a list read by its own id type.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// An id of one list of the fact model.
pub trait Id: Copy {
    /// The id of the item at `index`.
    fn from_index(index: usize) -> Self;
    /// The item's position in its list.
    fn index(self) -> usize;
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl Id for $name {
            fn from_index(index: usize) -> Self {
                $name(index)
            }
            fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ids! {
    /// A certificate of `Bundle::certificates`.
    CertId;
    /// A CRL of `Bundle::crls`.
    CrlId;
    /// A VPN profile of `Profiles::vpn_profiles`.
    VpnProfileId;
    /// An EAP configuration of `Profiles::eap_configs`.
    EapConfigId;
    /// A pinned thumbprint of `Profiles::pins`.
    PinId;
    /// A server name of `Profiles::server_names`.
    ServerNameId;
    /// An Intune trusted-root profile of `Profiles::trusted_root_profiles`.
    TrustedRootProfileId;
    /// An Intune SCEP/PKCS profile of `Profiles::certificate_profiles`.
    CertificateProfileId;
    /// A Cloud PKI CA of `Profiles::cloud_cas`.
    CloudCaId;
    NpsServerId;
    NpsPolicyId;
    NpsEapMethodId;
}

/// A list whose items are named by ids of type `I`. It reads as a slice (`iter`, `len`), but
/// [`IdVec::get`] takes only its own id type.
pub struct IdVec<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    /// An empty list.
    pub fn new() -> Self {
        IdVec {
            items: Vec::new(),
            id: PhantomData,
        }
    }

    /// The item named by `id`.
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    /// The item named by `id`, to change.
    pub fn get_mut(&mut self, id: I) -> Option<&mut T> {
        self.items.get_mut(id.index())
    }

    /// Adds `item`; returns its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::from_index(self.items.len().saturating_sub(1))
    }

    /// The id the next pushed item will get.
    pub fn next_id(&self) -> I {
        I::from_index(self.items.len())
    }

    /// Every item with its id, in order.
    pub fn iter_ids(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items
            .iter()
            .enumerate()
            .map(|(i, t)| (I::from_index(i), t))
    }

    /// Every item with its id, to change.
    pub fn iter_ids_mut(&mut self) -> impl Iterator<Item = (I, &mut T)> {
        self.items
            .iter_mut()
            .enumerate()
            .map(|(i, t)| (I::from_index(i), t))
    }

    /// The items, as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<I: Id, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec::new()
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

impl<I, T: Clone> Clone for IdVec<I, T> {
    fn clone(&self) -> Self {
        IdVec {
            items: self.items.clone(),
            id: PhantomData,
        }
    }
}

impl<I, T> Deref for IdVec<I, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<I, T> DerefMut for IdVec<I, T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.items
    }
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IdVec {
            items,
            id: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<X: IntoIterator<Item = T>>(iter: X) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<I, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
