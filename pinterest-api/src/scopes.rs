//! OAuth scopes from the operations table: what a set of operations needs,
//! what an API area needs, and what a token lacks for an operation.

use crate::{OPERATIONS, Operation, Scope};

/// An operation id that is not in [`OPERATIONS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOperation(pub String);

impl std::fmt::Display for UnknownOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown operation `{}` (not an operationId of spec {})",
            self.0,
            crate::SPEC_VERSION
        )
    }
}

impl std::error::Error for UnknownOperation {}

impl Scope {
    /// The scopes the operations need (by `operationId` or generated method
    /// name), each once, in [`Scope::ALL`] order: the minimal set to ask
    /// for at login.
    ///
    /// ```
    /// use pinterest_api::Scope;
    /// let needed = Scope::required_for(&["pins/create", "boards/list"]).unwrap();
    /// assert_eq!(needed, [Scope::BoardsRead, Scope::BoardsWrite, Scope::PinsRead, Scope::PinsWrite]);
    /// assert!(Scope::required_for(&["pins/fly"]).is_err());
    /// ```
    pub fn required_for(operations: &[&str]) -> Result<Vec<Scope>, UnknownOperation> {
        let mut needed = Vec::new();
        for id in operations {
            let op = Operation::by_id(id)
                .or_else(|| Operation::by_method_name(id))
                .ok_or_else(|| UnknownOperation((*id).to_string()))?;
            needed.extend_from_slice(op.scopes);
        }
        Ok(Scope::ALL
            .iter()
            .copied()
            .filter(|s| needed.contains(s))
            .collect())
    }

    /// The scopes the operations of one API area (Cargo feature, e.g.
    /// `"organic"`) need, in [`Scope::ALL`] order.
    pub fn for_feature(feature: &str) -> Vec<Scope> {
        let needed: Vec<Scope> = OPERATIONS
            .iter()
            .filter(|op| op.feature == feature)
            .flat_map(|op| op.scopes.iter().copied())
            .collect();
        Scope::ALL
            .iter()
            .copied()
            .filter(|s| needed.contains(s))
            .collect()
    }

    /// The scopes `operation` needs that `granted` lacks.
    ///
    /// ```
    /// use pinterest_api::{Operation, Scope};
    /// let op = Operation::by_id("pins/create").unwrap();
    /// assert_eq!(
    ///     Scope::missing(op, &[Scope::PinsRead, Scope::BoardsRead]),
    ///     [Scope::BoardsWrite, Scope::PinsWrite]
    /// );
    /// ```
    pub fn missing(operation: &Operation, granted: &[Scope]) -> Vec<Scope> {
        Scope::ALL
            .iter()
            .copied()
            .filter(|s| operation.scopes.contains(s) && !granted.contains(s))
            .collect()
    }
}
