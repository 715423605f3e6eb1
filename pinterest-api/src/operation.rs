//! The shape of the operations table (`crate::OPERATIONS`, generated from
//! the spec): what each operation is, so that middleware, pagination and
//! tests never re-parse the spec.

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method as HTTP writes it (`"GET"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once
    /// (RFC 9110 §9.2.2): GET, HEAD, OPTIONS, TRACE, PUT, DELETE.
    ///
    /// ```
    /// use pinterest_api::Method;
    /// assert!(Method::Delete.is_idempotent());
    /// assert!(!Method::Post.is_idempotent());
    /// ```
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an operation works against Pinterest's sandbox
/// (`https://api-sandbox.pinterest.com/v5`), per its `x-sandbox` extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sandbox {
    /// `x-sandbox: enabled`
    Enabled,
    /// `x-sandbox: disabled`: the sandbox rejects it.
    Disabled,
    /// The spec does not say.
    Unspecified,
}

/// Bookmark pagination of an operation: it takes a `bookmark` query
/// parameter and answers `{"items": [...], "bookmark": "..."}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// Component schema of the items (e.g. `"Pin"`), when the spec names one.
    pub item_schema: Option<&'static str>,
    /// Whether the operation takes `page_size`.
    pub has_page_size: bool,
    /// The largest `page_size` the spec allows, when it states one.
    pub max_page_size: Option<u64>,
}

/// One operation of the Pinterest API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `"pins/list"`.
    pub id: &'static str,
    /// The generated method's name, e.g. `"pins_list"` (also what
    /// progenitor's `OperationInfo::operation_id` carries).
    pub method_name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template below the base URL, e.g. `"/pins/{pin_id}"`.
    pub path: &'static str,
    /// The spec's tags.
    pub tags: &'static [&'static str],
    /// `x-ratelimit-category`: operations in one category share a quota.
    pub rate_limit_category: Option<&'static str>,
    /// `x-sandbox`.
    pub sandbox: Sandbox,
    /// OAuth scopes the operation requires.
    pub scopes: &'static [crate::Scope],
    /// Security schemes it accepts (`pinterest_oauth2`, `client_credentials`,
    /// `basic`, `conversion_token`).
    pub security: &'static [&'static str],
    /// Marked `deprecated` in the spec.
    pub deprecated: bool,
    /// `x-sunset`: when a deprecated operation goes away, as the spec
    /// writes it.
    pub sunset: Option<&'static str>,
    /// The spec's one-line `summary`.
    pub summary: &'static str,
    /// Whether successful responses carry a JSON body.
    pub success_json: bool,
    /// The Cargo feature (API area) the operation belongs to.
    pub feature: &'static str,
    /// Bookmark pagination, when it has it.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Finds an operation by generated method name (`"pins_list"`).
    ///
    /// ```
    /// let op = pinterest_api::Operation::by_method_name("pins_list").unwrap();
    /// assert_eq!(op.id, "pins/list");
    /// assert_eq!(op.method, pinterest_api::Method::Get);
    /// ```
    pub fn by_method_name(name: &str) -> Option<&'static Operation> {
        crate::OPERATIONS
            .binary_search_by(|op| op.method_name.cmp(name))
            .ok()
            .map(|i| &crate::OPERATIONS[i])
    }

    /// Finds an operation by `operationId` (`"pins/list"`).
    pub fn by_id(id: &str) -> Option<&'static Operation> {
        crate::OPERATIONS.iter().find(|op| op.id == id)
    }

    /// Whether the operation is bookmark-paginated.
    pub fn is_paginated(&self) -> bool {
        self.pagination.is_some()
    }
}
