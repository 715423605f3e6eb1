//! Every rule the diff can emit, as data: [`Rule`] is an enum, and each
//! variant carries its id (oasdiff's where oasdiff has the rule, else
//! `generic-*` or `pinterest-*`), its [`Level`] and the semver [`Bump`] it
//! implies for the generated crate. Checks name the variant they emit, so
//! a typo does not compile and `grep RequestBodyTypeChanged` finds every
//! emitter.
//!
//! Schema checks report a [`Change`] at a [`Subject`] (the request body, a
//! property of a response, ...); [`Rule::for_schema`] is the table that
//! says which rule that is. A combination without a row is not a rule
//! (oasdiff has no `response-body-pattern-added`, say): such a change is
//! deliberately not reported, and `schema_rules_cover_every_change` shows
//! each [`Change`] has rows.
//!
//! Levels of oasdiff's ids are oasdiff's defaults (a test checks them
//! against its rule list, `../shared/diff-corpus/oasdiff/rules.json`).
//! The bump is about the Rust API `cargo xtask gen` produces: see
//! [`super::semver`].

use serde::Serialize;

use super::semver::Bump;

/// How breaking a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    /// Not breaking.
    #[serde(rename = "INFO")]
    Info,
    /// Possibly breaking.
    #[serde(rename = "WARN")]
    Warn,
    /// Breaking.
    #[serde(rename = "ERR")]
    Err,
}

impl Level {
    /// `INFO`, `WARN` or `ERR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Err => "ERR",
        }
    }

    /// Parses `INFO`/`WARN`/`ERR` (any case).
    pub fn parse(text: &str) -> Option<Level> {
        match text.to_ascii_uppercase().as_str() {
            "INFO" => Some(Level::Info),
            "WARN" | "WARNING" => Some(Level::Warn),
            "ERR" | "ERROR" => Some(Level::Err),
            _ => None,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in an operation a schema change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The request body's top-level schema.
    RequestBody,
    /// A property inside the request body.
    RequestProperty,
    /// A property the request body marks `readOnly` (the client does not
    /// send it).
    RequestReadOnlyProperty,
    /// A parameter's schema.
    RequestParameter,
    /// A property of an object-valued parameter.
    RequestParameterProperty,
    /// A property of an object-valued header parameter.
    RequestHeaderProperty,
    /// The response body's top-level schema.
    ResponseBody,
    /// A property inside a response body.
    ResponseProperty,
    /// A property a response marks `writeOnly` (the server does not send
    /// it).
    ResponseWriteOnlyProperty,
    /// A response header's schema.
    ResponseHeader,
}

/// A numeric, length, item-count or property-count bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// `maximum`.
    Max,
    /// `minimum`.
    Min,
    /// `maxLength`.
    MaxLength,
    /// `minLength`.
    MinLength,
    /// `maxItems`.
    MaxItems,
    /// `minItems`.
    MinItems,
    /// `maxProperties`.
    MaxProperties,
    /// `minProperties`.
    MinProperties,
}

/// How a bound moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Move {
    /// Absent before, present now.
    Set,
    /// Present before, absent now.
    Unset,
    /// A higher value.
    Increased,
    /// A lower value.
    Decreased,
}

/// `allOf`, `oneOf` or `anyOf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Composition {
    /// `allOf`.
    AllOf,
    /// `oneOf`.
    OneOf,
    /// `anyOf`.
    AnyOf,
}

/// A composition member added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Membership {
    /// A member was added.
    Added,
    /// A member was removed.
    Removed,
    /// An `allOf` member that only annotates (title, description, ...) was
    /// added.
    AddedAnnotationOnly,
    /// An `allOf` member that only annotates was removed.
    RemovedAnnotationOnly,
}

/// What changed in a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// The schema is now wrapped in a `oneOf`.
    WrappedInOneOf,
    /// `type`/`format` changed incompatibly.
    TypeChanged,
    /// `type` changed where the media type is not JSON (text, XML, forms).
    TypeCompatible,
    /// `type` widened (integer to number).
    TypeGeneralized,
    /// `type` narrowed.
    TypeSpecialized,
    /// `nullable` became true.
    BecameNullable,
    /// `nullable` became false.
    BecameNotNullable,
    /// An `enum` was set on a schema without one.
    BecameEnum,
    /// An `enum` value was added.
    EnumValueAdded,
    /// An `enum` value was removed.
    EnumValueRemoved,
    /// An `x-extensible-enum` value was removed.
    ExtensibleEnumValueRemoved,
    /// A bound moved.
    Bound(Bound, Move),
    /// A `pattern` was added.
    PatternAdded,
    /// A `pattern` was removed.
    PatternRemoved,
    /// A `pattern` changed.
    PatternChanged,
    /// A `pattern` changed to one that accepts any string.
    PatternGeneralized,
    /// A `default` was added.
    DefaultValueAdded,
    /// A `default` was removed.
    DefaultValueRemoved,
    /// A `default` changed.
    DefaultValueChanged,
    /// Deprecated without a sunset date.
    Deprecated,
    /// Deprecated with a sunset date.
    DeprecatedWithSunset,
    /// Deprecated with a sunset that is not a date.
    DeprecatedSunsetInvalid,
    /// No longer deprecated.
    Reactivated,
    /// A composition member was added or removed.
    Member(Composition, Membership),
    /// A `discriminator` was added.
    DiscriminatorAdded,
    /// A `discriminator` was removed.
    DiscriminatorRemoved,
    /// The discriminator's `propertyName` changed.
    DiscriminatorPropertyNameChanged,
    /// A discriminator mapping was added.
    DiscriminatorMappingAdded,
    /// A discriminator mapping changed its target.
    DiscriminatorMappingChanged,
    /// A discriminator mapping was removed.
    DiscriminatorMappingDeleted,
}

impl Change {
    /// Every change, for the coverage test.
    #[cfg(test)]
    pub(crate) fn all() -> Vec<Change> {
        use Bound::*;
        use Composition::*;
        use Membership::*;
        use Move::*;
        let mut all = vec![
            Change::WrappedInOneOf,
            Change::TypeChanged,
            Change::TypeCompatible,
            Change::TypeGeneralized,
            Change::TypeSpecialized,
            Change::BecameNullable,
            Change::BecameNotNullable,
            Change::BecameEnum,
            Change::EnumValueAdded,
            Change::EnumValueRemoved,
            Change::ExtensibleEnumValueRemoved,
            Change::PatternAdded,
            Change::PatternRemoved,
            Change::PatternChanged,
            Change::PatternGeneralized,
            Change::DefaultValueAdded,
            Change::DefaultValueRemoved,
            Change::DefaultValueChanged,
            Change::Deprecated,
            Change::DeprecatedWithSunset,
            Change::DeprecatedSunsetInvalid,
            Change::Reactivated,
            Change::DiscriminatorAdded,
            Change::DiscriminatorRemoved,
            Change::DiscriminatorPropertyNameChanged,
            Change::DiscriminatorMappingAdded,
            Change::DiscriminatorMappingChanged,
            Change::DiscriminatorMappingDeleted,
        ];
        for b in [
            Max,
            Min,
            MaxLength,
            MinLength,
            MaxItems,
            MinItems,
            MaxProperties,
            MinProperties,
        ] {
            for m in [Set, Unset, Increased, Decreased] {
                all.push(Change::Bound(b, m));
            }
        }
        for c in [AllOf, OneOf, AnyOf] {
            for m in [Added, Removed] {
                all.push(Change::Member(c, m));
            }
        }
        for m in [AddedAnnotationOnly, RemovedAnnotationOnly] {
            all.push(Change::Member(AllOf, m));
        }
        all
    }
}

/// Declares [`Rule`] from rows `Variant = "id", Level, Bump, on(Subject,
/// Change)...;` (doc comments explain the rules that are not oasdiff's).
macro_rules! rules {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $id:literal, $level:ident, $bump:ident $(, on($subject:ident, $change:pat))*;
    )*) => {
        /// A rule of the diff: what changed, how breaking it is, what bump
        /// it implies. See the [module documentation](self).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $(
                #[doc = concat!("`", $id, "`", $(": ", $doc)*)]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule id (oasdiff's, `generic-*` or `pinterest-*`).
            pub const fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// How breaking it is.
            pub const fn level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                }
            }

            /// The semver bump it implies for `pinterest-api`.
            pub const fn bump(self) -> Bump {
                match self {
                    $(Rule::$variant => Bump::$bump,)*
                }
            }

            /// What the rule means, for the rules that are not oasdiff's
            /// (empty for oasdiff's: see its documentation).
            pub const fn explanation(self) -> &'static str {
                match self {
                    $(Rule::$variant => concat!($($doc),*),)*
                }
            }

            /// The rule for `change` at `subject`; `None` when that
            /// combination is not a rule.
            pub fn for_schema(subject: Subject, change: Change) -> Option<Rule> {
                #[allow(unused_imports)]
                use self::{Bound::*, Change::*, Composition::*, Membership::*, Move::*, Subject::*};
                match (subject, change) {
                    $($( ($subject, $change) => Some(Rule::$variant), )*)*
                    _ => None,
                }
            }
        }
    };
}

rules! {
    ApiDeprecatedSunsetParse = "api-deprecated-sunset-parse", Err, Major;
    ApiGlobalSecurityAdded = "api-global-security-added", Info, Minor;
    ApiGlobalSecurityRemoved = "api-global-security-removed", Info, Minor;
    ApiGlobalSecurityScopeAdded = "api-global-security-scope-added", Info, Minor;
    ApiGlobalSecurityScopeRemoved = "api-global-security-scope-removed", Info, Minor;
    ApiInvalidStabilityLevel = "api-invalid-stability-level", Err, Major;
    ApiPathRemovedBeforeSunset = "api-path-removed-before-sunset", Err, Major;
    ApiPathRemovedWithDeprecation = "api-path-removed-with-deprecation", Info, Major;
    ApiPathRemovedWithoutDeprecation = "api-path-removed-without-deprecation", Err, Major;
    ApiPathSunsetParse = "api-path-sunset-parse", Err, Major;
    ApiRemovedBeforeSunset = "api-removed-before-sunset", Err, Major;
    ApiRemovedWithDeprecation = "api-removed-with-deprecation", Info, Major;
    ApiRemovedWithoutDeprecation = "api-removed-without-deprecation", Err, Major;
    ApiSecurityAdded = "api-security-added", Info, Minor;
    ApiSecurityComponentAdded = "api-security-component-added", Info, Minor;
    ApiSecurityComponentOauthScopeAdded = "api-security-component-oauth-scope-added", Info, Minor;
    ApiSecurityComponentOauthScopeChanged = "api-security-component-oauth-scope-changed", Info, Minor;
    ApiSecurityComponentOauthScopeRemoved = "api-security-component-oauth-scope-removed", Info, Minor;
    ApiSecurityComponentOauthTokenUrlChanged = "api-security-component-oauth-token-url-changed", Info, Minor;
    ApiSecurityComponentOauthUrlChanged = "api-security-component-oauth-url-changed", Info, Minor;
    ApiSecurityComponentRemoved = "api-security-component-removed", Info, Minor;
    ApiSecurityComponentTypeChanged = "api-security-component-type-changed", Info, Minor;
    ApiSecurityRemoved = "api-security-removed", Info, Minor;
    ApiSecurityScopeAdded = "api-security-scope-added", Info, Minor;
    ApiSecurityScopeRemoved = "api-security-scope-removed", Info, Minor;
    ApiStabilityDecreased = "api-stability-decreased", Err, Major;
    ApiStabilityIncreased = "api-stability-increased", Info, Patch;
    EndpointAdded = "endpoint-added", Info, Minor;
    EndpointDeprecated = "endpoint-deprecated", Info, Minor;
    EndpointDeprecatedWithSunset = "endpoint-deprecated-with-sunset", Info, Minor;
    EndpointReactivated = "endpoint-reactivated", Info, Patch;
    /// Request body: `maxItems` set where there was none (oasdiff has it for `maximum` and `maxLength` only).
    GenericRequestBodyMaxItemsSet = "generic-request-body-max-items-set", Warn, Minor, on(RequestBody, Bound(MaxItems, Set));
    /// Request body: `maxProperties` decreased.
    GenericRequestBodyMaxPropertiesDecreased = "generic-request-body-max-properties-decreased", Err, Major, on(RequestBody, Bound(MaxProperties, Decreased));
    /// Request body: `maxProperties` increased.
    GenericRequestBodyMaxPropertiesIncreased = "generic-request-body-max-properties-increased", Info, Patch, on(RequestBody, Bound(MaxProperties, Increased));
    /// Request body: `maxProperties` set.
    GenericRequestBodyMaxPropertiesSet = "generic-request-body-max-properties-set", Warn, Minor, on(RequestBody, Bound(MaxProperties, Set));
    /// Request body: `minProperties` decreased.
    GenericRequestBodyMinPropertiesDecreased = "generic-request-body-min-properties-decreased", Info, Patch, on(RequestBody, Bound(MinProperties, Decreased));
    /// Request body: `minProperties` increased.
    GenericRequestBodyMinPropertiesIncreased = "generic-request-body-min-properties-increased", Err, Major, on(RequestBody, Bound(MinProperties, Increased));
    /// Request body: `minProperties` set.
    GenericRequestBodyMinPropertiesSet = "generic-request-body-min-properties-set", Warn, Minor, on(RequestBody, Bound(MinProperties, Set));
    /// Parameter: `maxItems` set where there was none.
    GenericRequestParameterMaxItemsSet = "generic-request-parameter-max-items-set", Warn, Minor, on(RequestParameter, Bound(MaxItems, Set));
    /// Request property: `maxItems` set where there was none.
    GenericRequestPropertyMaxItemsSet = "generic-request-property-max-items-set", Warn, Minor, on(RequestProperty, Bound(MaxItems, Set));
    /// A query parameter now allows an empty value.
    GenericRequestParameterAllowEmptyValueAdded = "generic-request-parameter-allow-empty-value-added", Info, Patch;
    /// A query parameter no longer allows an empty value.
    GenericRequestParameterAllowEmptyValueRemoved = "generic-request-parameter-allow-empty-value-removed", Warn, Minor;
    /// A parameter's `explode` changed: arrays and objects go on the wire in another form (`a=1&a=2` against `a=1,2`).
    GenericRequestParameterExplodeChanged = "generic-request-parameter-explode-changed", Err, Major;
    /// A parameter's serialization `style` changed (form, simple, deepObject, ...): generated clients encode it differently on the wire.
    GenericRequestParameterStyleChanged = "generic-request-parameter-style-changed", Err, Major;
    /// Request property: `maxProperties` decreased.
    GenericRequestPropertyMaxPropertiesDecreased = "generic-request-property-max-properties-decreased", Err, Major, on(RequestProperty, Bound(MaxProperties, Decreased));
    /// Request property: `maxProperties` increased.
    GenericRequestPropertyMaxPropertiesIncreased = "generic-request-property-max-properties-increased", Info, Patch, on(RequestProperty, Bound(MaxProperties, Increased));
    /// Request property: `maxProperties` set.
    GenericRequestPropertyMaxPropertiesSet = "generic-request-property-max-properties-set", Warn, Minor, on(RequestProperty, Bound(MaxProperties, Set));
    /// Request property: `minProperties` decreased.
    GenericRequestPropertyMinPropertiesDecreased = "generic-request-property-min-properties-decreased", Info, Patch, on(RequestProperty, Bound(MinProperties, Decreased));
    /// Request property: `minProperties` increased.
    GenericRequestPropertyMinPropertiesIncreased = "generic-request-property-min-properties-increased", Err, Major, on(RequestProperty, Bound(MinProperties, Increased));
    /// Request property: `minProperties` set.
    GenericRequestPropertyMinPropertiesSet = "generic-request-property-min-properties-set", Warn, Minor, on(RequestProperty, Bound(MinProperties, Set));
    /// Response body: `maxItems` increased: values beyond the old bound may now arrive.
    GenericResponseBodyMaxItemsIncreased = "generic-response-body-max-items-increased", Err, Major, on(ResponseBody, Bound(MaxItems, Increased));
    /// Response body: `maxItems` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMaxItemsUnset = "generic-response-body-max-items-unset", Err, Major, on(ResponseBody, Bound(MaxItems, Unset));
    /// Response body: `maxProperties` increased: values beyond the old bound may now arrive.
    GenericResponseBodyMaxPropertiesIncreased = "generic-response-body-max-properties-increased", Err, Major, on(ResponseBody, Bound(MaxProperties, Increased));
    /// Response body: `maxProperties` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMaxPropertiesUnset = "generic-response-body-max-properties-unset", Err, Major, on(ResponseBody, Bound(MaxProperties, Unset));
    /// Response body: `maximum` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMaxUnset = "generic-response-body-max-unset", Err, Major, on(ResponseBody, Bound(Max, Unset));
    /// Response body: `minLength` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMinLengthUnset = "generic-response-body-min-length-unset", Err, Major, on(ResponseBody, Bound(MinLength, Unset));
    /// Response body: `minProperties` decreased: values beyond the old bound may now arrive.
    GenericResponseBodyMinPropertiesDecreased = "generic-response-body-min-properties-decreased", Err, Major, on(ResponseBody, Bound(MinProperties, Decreased));
    /// Response body: `minProperties` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMinPropertiesUnset = "generic-response-body-min-properties-unset", Err, Major, on(ResponseBody, Bound(MinProperties, Unset));
    /// Response body: `minimum` unset: values beyond the old bound may now arrive.
    GenericResponseBodyMinUnset = "generic-response-body-min-unset", Err, Major, on(ResponseBody, Bound(Min, Unset));
    /// A response header is now always sent.
    GenericResponseHeaderBecameRequired = "generic-response-header-became-required", Info, Patch;
    /// A response header's `explode` changed: a list or object in it is written in another form.
    GenericResponseHeaderExplodeChanged = "generic-response-header-explode-changed", Warn, Minor;
    /// Response property: `maxItems` increased: values beyond the old bound may now arrive.
    GenericResponsePropertyMaxItemsIncreased = "generic-response-property-max-items-increased", Err, Major, on(ResponseProperty, Bound(MaxItems, Increased));
    /// Response property: `maxItems` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMaxItemsUnset = "generic-response-property-max-items-unset", Err, Major, on(ResponseProperty, Bound(MaxItems, Unset));
    /// Response property: `maxProperties` increased: values beyond the old bound may now arrive.
    GenericResponsePropertyMaxPropertiesIncreased = "generic-response-property-max-properties-increased", Err, Major, on(ResponseProperty, Bound(MaxProperties, Increased));
    /// Response property: `maxProperties` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMaxPropertiesUnset = "generic-response-property-max-properties-unset", Err, Major, on(ResponseProperty, Bound(MaxProperties, Unset));
    /// Response property: `maximum` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMaxUnset = "generic-response-property-max-unset", Err, Major, on(ResponseProperty, Bound(Max, Unset));
    /// Response property: `minLength` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMinLengthUnset = "generic-response-property-min-length-unset", Err, Major, on(ResponseProperty, Bound(MinLength, Unset));
    /// Response property: `minProperties` decreased: values beyond the old bound may now arrive.
    GenericResponsePropertyMinPropertiesDecreased = "generic-response-property-min-properties-decreased", Err, Major, on(ResponseProperty, Bound(MinProperties, Decreased));
    /// Response property: `minProperties` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMinPropertiesUnset = "generic-response-property-min-properties-unset", Err, Major, on(ResponseProperty, Bound(MinProperties, Unset));
    /// Response property: `minimum` unset: values beyond the old bound may now arrive.
    GenericResponsePropertyMinUnset = "generic-response-property-min-unset", Err, Major, on(ResponseProperty, Bound(Min, Unset));
    /// An `apiKey` security scheme moved (`in`: header, query, cookie): clients send the key where it is no longer read.
    GenericSecuritySchemeApiKeyLocationChanged = "generic-security-scheme-api-key-location-changed", Err, Major;
    /// An `apiKey` security scheme renamed its header, query parameter or cookie.
    GenericSecuritySchemeApiKeyNameChanged = "generic-security-scheme-api-key-name-changed", Err, Major;
    /// The documented `bearerFormat` of a bearer scheme changed.
    GenericSecuritySchemeBearerFormatChanged = "generic-security-scheme-bearer-format-changed", Info, Patch;
    /// An `http` security scheme changed its `scheme` (basic, bearer, ...): clients send the wrong Authorization header.
    GenericSecuritySchemeHttpSchemeChanged = "generic-security-scheme-http-scheme-changed", Err, Major;
    /// An OAuth scheme gained a flow.
    GenericSecuritySchemeOauthFlowAdded = "generic-security-scheme-oauth-flow-added", Info, Minor;
    /// An OAuth scheme lost a flow: tokens are no longer issued that way.
    GenericSecuritySchemeOauthFlowRemoved = "generic-security-scheme-oauth-flow-removed", Err, Major;
    /// An OAuth flow's `refreshUrl` changed: token refreshes go elsewhere.
    GenericSecuritySchemeOauthRefreshUrlChanged = "generic-security-scheme-oauth-refresh-url-changed", Warn, Minor;
    /// The `openIdConnectUrl` of a scheme changed: discovery happens elsewhere.
    GenericSecuritySchemeOpenidConnectUrlChanged = "generic-security-scheme-openid-connect-url-changed", Warn, Minor;
    NewOptionalRequestDefaultParameterToExistingPath = "new-optional-request-default-parameter-to-existing-path", Info, Minor;
    NewOptionalRequestParameter = "new-optional-request-parameter", Info, Minor;
    NewOptionalRequestProperty = "new-optional-request-property", Info, Major;
    NewRequestPathParameter = "new-request-path-parameter", Err, Major;
    NewRequiredRequestDefaultParameterToExistingPath = "new-required-request-default-parameter-to-existing-path", Err, Major;
    NewRequiredRequestHeaderProperty = "new-required-request-header-property", Err, Major;
    NewRequiredRequestParameter = "new-required-request-parameter", Err, Major;
    NewRequiredRequestProperty = "new-required-request-property", Err, Major;
    NewRequiredRequestPropertyWithDefault = "new-required-request-property-with-default", Err, Major;
    OptionalResponseHeaderRemoved = "optional-response-header-removed", Warn, Minor;
    /// `x-ratelimit-category` changed: the operation now shares another quota; client-side limits may need adjusting.
    PinterestRateLimitCategoryChanged = "pinterest-rate-limit-category-changed", Warn, Minor;
    /// `x-sandbox` went from enabled to disabled: the sandbox stops serving the operation.
    PinterestSandboxDisabled = "pinterest-sandbox-disabled", Warn, Minor;
    /// `x-sandbox` went from disabled to enabled.
    PinterestSandboxEnabled = "pinterest-sandbox-enabled", Info, Minor;
    /// The operation requires more OAuth scopes: tokens granted before lack them and get 401/403.
    PinterestScopesAdded = "pinterest-scopes-added", Err, Major;
    /// The operation requires fewer OAuth scopes.
    PinterestScopesRemoved = "pinterest-scopes-removed", Info, Minor;
    RequestBodyAddedOptional = "request-body-added-optional", Info, Minor;
    RequestBodyAddedRequired = "request-body-added-required", Err, Major;
    RequestBodyAllOfAdded = "request-body-all-of-added", Err, Major, on(RequestBody, Member(AllOf, Added));
    RequestBodyAllOfAddedAnnotationOnly = "request-body-all-of-added-annotation-only", Info, Patch, on(RequestBody, Member(AllOf, AddedAnnotationOnly));
    RequestBodyAllOfRemoved = "request-body-all-of-removed", Warn, Major, on(RequestBody, Member(AllOf, Removed));
    RequestBodyAllOfRemovedAnnotationOnly = "request-body-all-of-removed-annotation-only", Info, Patch, on(RequestBody, Member(AllOf, RemovedAnnotationOnly));
    RequestBodyAnyOfAdded = "request-body-any-of-added", Info, Major, on(RequestBody, Member(AnyOf, Added));
    RequestBodyAnyOfRemoved = "request-body-any-of-removed", Err, Major, on(RequestBody, Member(AnyOf, Removed));
    RequestBodyBecameEnum = "request-body-became-enum", Err, Major, on(RequestBody, BecameEnum);
    RequestBodyBecameNotNullable = "request-body-became-not-nullable", Err, Major, on(RequestBody, BecameNotNullable);
    RequestBodyBecameNullable = "request-body-became-nullable", Info, Major, on(RequestBody, BecameNullable);
    RequestBodyBecameOptional = "request-body-became-optional", Info, Patch;
    RequestBodyBecameRequired = "request-body-became-required", Err, Major;
    RequestBodyDefaultValueAdded = "request-body-default-value-added", Info, Patch, on(RequestBody, DefaultValueAdded);
    RequestBodyDefaultValueChanged = "request-body-default-value-changed", Info, Patch, on(RequestBody, DefaultValueChanged);
    RequestBodyDefaultValueRemoved = "request-body-default-value-removed", Info, Patch, on(RequestBody, DefaultValueRemoved);
    RequestBodyDiscriminatorAdded = "request-body-discriminator-added", Info, Major, on(RequestBody, DiscriminatorAdded);
    RequestBodyDiscriminatorMappingAdded = "request-body-discriminator-mapping-added", Info, Major, on(RequestBody, DiscriminatorMappingAdded);
    RequestBodyDiscriminatorMappingChanged = "request-body-discriminator-mapping-changed", Info, Major, on(RequestBody, DiscriminatorMappingChanged);
    RequestBodyDiscriminatorMappingDeleted = "request-body-discriminator-mapping-deleted", Info, Major, on(RequestBody, DiscriminatorMappingDeleted);
    RequestBodyDiscriminatorPropertyNameChanged = "request-body-discriminator-property-name-changed", Info, Major, on(RequestBody, DiscriminatorPropertyNameChanged);
    RequestBodyDiscriminatorRemoved = "request-body-discriminator-removed", Info, Major, on(RequestBody, DiscriminatorRemoved);
    RequestBodyEnumValueRemoved = "request-body-enum-value-removed", Err, Major, on(RequestBody, EnumValueRemoved);
    RequestBodyMaxDecreased = "request-body-max-decreased", Err, Major, on(RequestBody, Bound(Max, Decreased));
    RequestBodyMaxIncreased = "request-body-max-increased", Info, Patch, on(RequestBody, Bound(Max, Increased));
    RequestBodyMaxLengthDecreased = "request-body-max-length-decreased", Err, Major, on(RequestBody, Bound(MaxLength, Decreased));
    RequestBodyMaxLengthIncreased = "request-body-max-length-increased", Info, Patch, on(RequestBody, Bound(MaxLength, Increased));
    RequestBodyMaxLengthSet = "request-body-max-length-set", Warn, Minor, on(RequestBody, Bound(MaxLength, Set));
    RequestBodyMaxSet = "request-body-max-set", Warn, Minor, on(RequestBody, Bound(Max, Set));
    RequestBodyMediaTypeAdded = "request-body-media-type-added", Info, Minor;
    RequestBodyMediaTypeRemoved = "request-body-media-type-removed", Err, Major;
    RequestBodyMinDecreased = "request-body-min-decreased", Info, Patch, on(RequestBody, Bound(Min, Decreased));
    RequestBodyMinIncreased = "request-body-min-increased", Err, Major, on(RequestBody, Bound(Min, Increased));
    RequestBodyMinItemsIncreased = "request-body-min-items-increased", Err, Major, on(RequestBody, Bound(MinItems, Increased));
    RequestBodyMinItemsSet = "request-body-min-items-set", Warn, Minor, on(RequestBody, Bound(MinItems, Set));
    RequestBodyMinLengthDecreased = "request-body-min-length-decreased", Info, Patch, on(RequestBody, Bound(MinLength, Decreased));
    RequestBodyMinLengthIncreased = "request-body-min-length-increased", Err, Major, on(RequestBody, Bound(MinLength, Increased));
    RequestBodyMinSet = "request-body-min-set", Warn, Minor, on(RequestBody, Bound(Min, Set));
    RequestBodyOneOfAdded = "request-body-one-of-added", Info, Major, on(RequestBody, Member(OneOf, Added));
    RequestBodyOneOfRemoved = "request-body-one-of-removed", Err, Major, on(RequestBody, Member(OneOf, Removed));
    RequestBodyRemoved = "request-body-removed", Err, Major;
    RequestBodyTypeChanged = "request-body-type-changed", Err, Major, on(RequestBody, TypeChanged);
    RequestBodyTypeCompatible = "request-body-type-compatible", Info, Major, on(RequestBody, TypeCompatible);
    RequestBodyTypeGeneralized = "request-body-type-generalized", Info, Major, on(RequestBody, TypeGeneralized);
    RequestBodyWrappedInOneOf = "request-body-wrapped-in-one-of", Err, Major, on(RequestBody, WrappedInOneOf);
    RequestHeaderPropertyBecameEnum = "request-header-property-became-enum", Err, Major, on(RequestHeaderProperty, BecameEnum);
    RequestHeaderPropertyBecameRequired = "request-header-property-became-required", Err, Major;
    RequestOptionalPropertyBecameNotReadOnly = "request-optional-property-became-not-read-only", Info, Patch;
    RequestOptionalPropertyBecameNotWriteOnly = "request-optional-property-became-not-write-only", Info, Patch;
    RequestOptionalPropertyBecameReadOnly = "request-optional-property-became-read-only", Info, Patch;
    RequestOptionalPropertyBecameWriteOnly = "request-optional-property-became-write-only", Info, Patch;
    RequestParameterBecameEnum = "request-parameter-became-enum", Err, Major, on(RequestParameter, BecameEnum);
    RequestParameterBecameNotNullable = "request-parameter-became-not-nullable", Err, Major, on(RequestParameter, BecameNotNullable);
    RequestParameterBecameNullable = "request-parameter-became-nullable", Info, Major, on(RequestParameter, BecameNullable);
    RequestParameterBecameOptional = "request-parameter-became-optional", Info, Patch;
    RequestParameterBecameRequired = "request-parameter-became-required", Err, Major;
    RequestParameterDefaultValueAdded = "request-parameter-default-value-added", Err, Major, on(RequestParameter, DefaultValueAdded);
    RequestParameterDefaultValueChanged = "request-parameter-default-value-changed", Err, Major, on(RequestParameter, DefaultValueChanged);
    RequestParameterDefaultValueRemoved = "request-parameter-default-value-removed", Err, Major, on(RequestParameter, DefaultValueRemoved);
    RequestParameterDeprecated = "request-parameter-deprecated", Info, Minor;
    RequestParameterEnumValueAdded = "request-parameter-enum-value-added", Info, Minor, on(RequestParameter, EnumValueAdded);
    RequestParameterEnumValueRemoved = "request-parameter-enum-value-removed", Err, Major, on(RequestParameter, EnumValueRemoved);
    RequestParameterMaxDecreased = "request-parameter-max-decreased", Err, Major, on(RequestParameter, Bound(Max, Decreased));
    RequestParameterMaxIncreased = "request-parameter-max-increased", Info, Patch, on(RequestParameter, Bound(Max, Increased));
    RequestParameterMaxItemsDecreased = "request-parameter-max-items-decreased", Err, Major, on(RequestParameter, Bound(MaxItems, Decreased));
    RequestParameterMaxItemsIncreased = "request-parameter-max-items-increased", Info, Patch, on(RequestParameter, Bound(MaxItems, Increased));
    RequestParameterMaxLengthDecreased = "request-parameter-max-length-decreased", Err, Major, on(RequestParameter, Bound(MaxLength, Decreased));
    RequestParameterMaxLengthIncreased = "request-parameter-max-length-increased", Info, Patch, on(RequestParameter, Bound(MaxLength, Increased));
    RequestParameterMaxLengthSet = "request-parameter-max-length-set", Warn, Minor, on(RequestParameter, Bound(MaxLength, Set));
    RequestParameterMaxSet = "request-parameter-max-set", Warn, Minor, on(RequestParameter, Bound(Max, Set));
    RequestParameterMinDecreased = "request-parameter-min-decreased", Info, Patch, on(RequestParameter, Bound(Min, Decreased));
    RequestParameterMinIncreased = "request-parameter-min-increased", Err, Major, on(RequestParameter, Bound(Min, Increased));
    RequestParameterMinItemsDecreased = "request-parameter-min-items-decreased", Info, Patch, on(RequestParameter, Bound(MinItems, Decreased));
    RequestParameterMinItemsIncreased = "request-parameter-min-items-increased", Err, Major, on(RequestParameter, Bound(MinItems, Increased));
    RequestParameterMinItemsSet = "request-parameter-min-items-set", Warn, Minor, on(RequestParameter, Bound(MinItems, Set));
    RequestParameterMinLengthDecreased = "request-parameter-min-length-decreased", Info, Patch, on(RequestParameter, Bound(MinLength, Decreased));
    RequestParameterMinLengthIncreased = "request-parameter-min-length-increased", Err, Major, on(RequestParameter, Bound(MinLength, Increased));
    RequestParameterMinSet = "request-parameter-min-set", Warn, Minor, on(RequestParameter, Bound(Min, Set));
    RequestParameterPatternAdded = "request-parameter-pattern-added", Err, Major, on(RequestParameter, PatternAdded);
    RequestParameterPatternChanged = "request-parameter-pattern-changed", Warn, Minor, on(RequestParameter, PatternChanged);
    RequestParameterPatternGeneralized = "request-parameter-pattern-generalized", Info, Patch, on(RequestParameter, PatternGeneralized);
    RequestParameterPatternRemoved = "request-parameter-pattern-removed", Info, Patch, on(RequestParameter, PatternRemoved);
    RequestParameterPropertyBecameNotNullable = "request-parameter-property-became-not-nullable", Err, Major, on(RequestParameterProperty, BecameNotNullable);
    RequestParameterPropertyBecameNullable = "request-parameter-property-became-nullable", Info, Major, on(RequestParameterProperty, BecameNullable);
    RequestParameterPropertyEnumValueAdded = "request-parameter-property-enum-value-added", Info, Minor, on(RequestParameterProperty, EnumValueAdded);
    RequestParameterPropertyEnumValueRemoved = "request-parameter-property-enum-value-removed", Err, Major, on(RequestParameterProperty, EnumValueRemoved);
    RequestParameterPropertyTypeChanged = "request-parameter-property-type-changed", Warn, Major, on(RequestParameterProperty, TypeChanged);
    RequestParameterPropertyTypeGeneralized = "request-parameter-property-type-generalized", Info, Major, on(RequestParameterProperty, TypeGeneralized);
    RequestParameterPropertyTypeSpecialized = "request-parameter-property-type-specialized", Err, Major, on(RequestParameterProperty, TypeSpecialized);
    RequestParameterReactivated = "request-parameter-reactivated", Info, Patch;
    RequestParameterRemoved = "request-parameter-removed", Warn, Major;
    RequestParameterRemovedBeforeSunset = "request-parameter-removed-before-sunset", Err, Major;
    RequestParameterRemovedWithDeprecation = "request-parameter-removed-with-deprecation", Info, Major;
    RequestParameterSunsetDeleted = "request-parameter-sunset-deleted", Err, Major;
    RequestParameterSunsetParse = "request-parameter-sunset-parse", Err, Major;
    RequestParameterTypeChanged = "request-parameter-type-changed", Err, Major, on(RequestParameter, TypeChanged);
    RequestParameterTypeGeneralized = "request-parameter-type-generalized", Info, Major, on(RequestParameter, TypeGeneralized);
    RequestParameterXExtensibleEnumValueRemoved = "request-parameter-x-extensible-enum-value-removed", Err, Major, on(RequestParameter, ExtensibleEnumValueRemoved);
    RequestPropertyAllOfAdded = "request-property-all-of-added", Err, Major, on(RequestProperty, Member(AllOf, Added));
    RequestPropertyAllOfAddedAnnotationOnly = "request-property-all-of-added-annotation-only", Info, Patch, on(RequestProperty, Member(AllOf, AddedAnnotationOnly));
    RequestPropertyAllOfRemoved = "request-property-all-of-removed", Warn, Major, on(RequestProperty, Member(AllOf, Removed));
    RequestPropertyAllOfRemovedAnnotationOnly = "request-property-all-of-removed-annotation-only", Info, Patch, on(RequestProperty, Member(AllOf, RemovedAnnotationOnly));
    RequestPropertyAnyOfAdded = "request-property-any-of-added", Info, Major, on(RequestProperty, Member(AnyOf, Added));
    RequestPropertyAnyOfRemoved = "request-property-any-of-removed", Err, Major, on(RequestProperty, Member(AnyOf, Removed));
    RequestPropertyBecameEnum = "request-property-became-enum", Err, Major, on(RequestProperty, BecameEnum);
    RequestPropertyBecameNotNullable = "request-property-became-not-nullable", Err, Major, on(RequestProperty, BecameNotNullable);
    RequestPropertyBecameNullable = "request-property-became-nullable", Info, Major, on(RequestProperty, BecameNullable);
    RequestPropertyBecameOptional = "request-property-became-optional", Info, Major;
    RequestPropertyBecameRequired = "request-property-became-required", Err, Major;
    RequestPropertyBecameRequiredWithDefault = "request-property-became-required-with-default", Err, Major;
    RequestPropertyDefaultValueAdded = "request-property-default-value-added", Info, Patch, on(RequestProperty, DefaultValueAdded);
    RequestPropertyDefaultValueChanged = "request-property-default-value-changed", Info, Patch, on(RequestProperty, DefaultValueChanged);
    RequestPropertyDefaultValueRemoved = "request-property-default-value-removed", Info, Patch, on(RequestProperty, DefaultValueRemoved);
    RequestPropertyDeprecated = "request-property-deprecated", Info, Minor, on(RequestProperty, Deprecated);
    RequestPropertyDeprecatedSunsetInvalid = "request-property-deprecated-sunset-invalid", Err, Major, on(RequestProperty, DeprecatedSunsetInvalid);
    RequestPropertyDeprecatedWithSunset = "request-property-deprecated-with-sunset", Info, Minor, on(RequestProperty, DeprecatedWithSunset);
    RequestPropertyDiscriminatorAdded = "request-property-discriminator-added", Info, Major, on(RequestProperty, DiscriminatorAdded);
    RequestPropertyDiscriminatorMappingAdded = "request-property-discriminator-mapping-added", Info, Major, on(RequestProperty, DiscriminatorMappingAdded);
    RequestPropertyDiscriminatorMappingChanged = "request-property-discriminator-mapping-changed", Info, Major, on(RequestProperty, DiscriminatorMappingChanged);
    RequestPropertyDiscriminatorMappingDeleted = "request-property-discriminator-mapping-deleted", Info, Major, on(RequestProperty, DiscriminatorMappingDeleted);
    RequestPropertyDiscriminatorPropertyNameChanged = "request-property-discriminator-property-name-changed", Info, Major, on(RequestProperty, DiscriminatorPropertyNameChanged);
    RequestPropertyDiscriminatorRemoved = "request-property-discriminator-removed", Info, Major, on(RequestProperty, DiscriminatorRemoved);
    RequestPropertyEnumValueAdded = "request-property-enum-value-added", Info, Minor, on(RequestProperty, EnumValueAdded);
    RequestPropertyEnumValueRemoved = "request-property-enum-value-removed", Err, Major, on(RequestProperty, EnumValueRemoved);
    RequestPropertyMaxDecreased = "request-property-max-decreased", Err, Major, on(RequestProperty, Bound(Max, Decreased));
    RequestPropertyMaxIncreased = "request-property-max-increased", Info, Patch, on(RequestProperty, Bound(Max, Increased));
    RequestPropertyMaxLengthDecreased = "request-property-max-length-decreased", Err, Major, on(RequestProperty, Bound(MaxLength, Decreased));
    RequestPropertyMaxLengthIncreased = "request-property-max-length-increased", Info, Patch, on(RequestProperty, Bound(MaxLength, Increased));
    RequestPropertyMaxLengthSet = "request-property-max-length-set", Warn, Minor, on(RequestProperty, Bound(MaxLength, Set));
    RequestPropertyMaxSet = "request-property-max-set", Warn, Minor, on(RequestProperty, Bound(Max, Set));
    RequestPropertyMinDecreased = "request-property-min-decreased", Info, Patch, on(RequestProperty, Bound(Min, Decreased));
    RequestPropertyMinIncreased = "request-property-min-increased", Err, Major, on(RequestProperty, Bound(Min, Increased));
    RequestPropertyMinItemsIncreased = "request-property-min-items-increased", Err, Major, on(RequestProperty, Bound(MinItems, Increased));
    RequestPropertyMinItemsSet = "request-property-min-items-set", Warn, Minor, on(RequestProperty, Bound(MinItems, Set));
    RequestPropertyMinLengthDecreased = "request-property-min-length-decreased", Info, Patch, on(RequestProperty, Bound(MinLength, Decreased));
    RequestPropertyMinLengthIncreased = "request-property-min-length-increased", Err, Major, on(RequestProperty, Bound(MinLength, Increased));
    RequestPropertyMinSet = "request-property-min-set", Warn, Minor, on(RequestProperty, Bound(Min, Set));
    RequestPropertyOneOfAdded = "request-property-one-of-added", Info, Major, on(RequestProperty, Member(OneOf, Added));
    RequestPropertyOneOfRemoved = "request-property-one-of-removed", Err, Major, on(RequestProperty, Member(OneOf, Removed));
    RequestPropertyPatternAdded = "request-property-pattern-added", Err, Major, on(RequestProperty, PatternAdded);
    RequestPropertyPatternChanged = "request-property-pattern-changed", Warn, Minor, on(RequestProperty, PatternChanged);
    RequestPropertyPatternGeneralized = "request-property-pattern-generalized", Info, Patch, on(RequestProperty, PatternGeneralized);
    RequestPropertyPatternRemoved = "request-property-pattern-removed", Info, Patch, on(RequestProperty, PatternRemoved);
    RequestPropertyReactivated = "request-property-reactivated", Info, Patch, on(RequestProperty, Reactivated);
    RequestPropertyRemoved = "request-property-removed", Warn, Major;
    RequestPropertyTypeChanged = "request-property-type-changed", Err, Major, on(RequestProperty, TypeChanged);
    RequestPropertyTypeCompatible = "request-property-type-compatible", Info, Major, on(RequestProperty, TypeCompatible);
    RequestPropertyTypeGeneralized = "request-property-type-generalized", Info, Major, on(RequestProperty, TypeGeneralized);
    RequestPropertyXExtensibleEnumValueRemoved = "request-property-x-extensible-enum-value-removed", Err, Major, on(RequestProperty, ExtensibleEnumValueRemoved);
    RequestReadOnlyPropertyEnumValueRemoved = "request-read-only-property-enum-value-removed", Info, Major, on(RequestReadOnlyProperty, EnumValueRemoved);
    RequestReadOnlyPropertyMaxDecreased = "request-read-only-property-max-decreased", Info, Patch, on(RequestReadOnlyProperty, Bound(Max, Decreased));
    RequestReadOnlyPropertyMaxLengthDecreased = "request-read-only-property-max-length-decreased", Info, Patch, on(RequestReadOnlyProperty, Bound(MaxLength, Decreased));
    RequestReadOnlyPropertyMinIncreased = "request-read-only-property-min-increased", Info, Patch, on(RequestReadOnlyProperty, Bound(Min, Increased));
    RequestRequiredPropertyBecameNotReadOnly = "request-required-property-became-not-read-only", Info, Patch;
    RequestRequiredPropertyBecameNotWriteOnly = "request-required-property-became-not-write-only", Info, Patch;
    RequestRequiredPropertyBecameReadOnly = "request-required-property-became-read-only", Info, Patch;
    RequestRequiredPropertyBecameWriteOnly = "request-required-property-became-write-only", Info, Patch;
    RequiredResponseHeaderRemoved = "required-response-header-removed", Err, Major;
    ResponseBodyAllOfAdded = "response-body-all-of-added", Info, Major, on(ResponseBody, Member(AllOf, Added));
    ResponseBodyAllOfAddedAnnotationOnly = "response-body-all-of-added-annotation-only", Info, Patch, on(ResponseBody, Member(AllOf, AddedAnnotationOnly));
    ResponseBodyAllOfRemoved = "response-body-all-of-removed", Info, Major, on(ResponseBody, Member(AllOf, Removed));
    ResponseBodyAllOfRemovedAnnotationOnly = "response-body-all-of-removed-annotation-only", Info, Patch, on(ResponseBody, Member(AllOf, RemovedAnnotationOnly));
    ResponseBodyAnyOfAdded = "response-body-any-of-added", Info, Major, on(ResponseBody, Member(AnyOf, Added));
    ResponseBodyAnyOfRemoved = "response-body-any-of-removed", Info, Major, on(ResponseBody, Member(AnyOf, Removed));
    ResponseBodyBecameNotNullable = "response-body-became-not-nullable", Info, Major, on(ResponseBody, BecameNotNullable);
    ResponseBodyBecameNullable = "response-body-became-nullable", Err, Major, on(ResponseBody, BecameNullable);
    ResponseBodyDefaultValueAdded = "response-body-default-value-added", Info, Patch, on(ResponseBody, DefaultValueAdded);
    ResponseBodyDefaultValueChanged = "response-body-default-value-changed", Info, Patch, on(ResponseBody, DefaultValueChanged);
    ResponseBodyDefaultValueRemoved = "response-body-default-value-removed", Info, Patch, on(ResponseBody, DefaultValueRemoved);
    ResponseBodyDiscriminatorAdded = "response-body-discriminator-added", Info, Major, on(ResponseBody, DiscriminatorAdded);
    ResponseBodyDiscriminatorMappingAdded = "response-body-discriminator-mapping-added", Info, Major, on(ResponseBody, DiscriminatorMappingAdded);
    ResponseBodyDiscriminatorMappingChanged = "response-body-discriminator-mapping-changed", Info, Major, on(ResponseBody, DiscriminatorMappingChanged);
    ResponseBodyDiscriminatorMappingDeleted = "response-body-discriminator-mapping-deleted", Info, Major, on(ResponseBody, DiscriminatorMappingDeleted);
    ResponseBodyDiscriminatorPropertyNameChanged = "response-body-discriminator-property-name-changed", Info, Major, on(ResponseBody, DiscriminatorPropertyNameChanged);
    ResponseBodyDiscriminatorRemoved = "response-body-discriminator-removed", Info, Major, on(ResponseBody, DiscriminatorRemoved);
    ResponseBodyMaxIncreased = "response-body-max-increased", Err, Major, on(ResponseBody, Bound(Max, Increased));
    ResponseBodyMaxLengthIncreased = "response-body-max-length-increased", Err, Major, on(ResponseBody, Bound(MaxLength, Increased));
    ResponseBodyMaxLengthUnset = "response-body-max-length-unset", Err, Major, on(ResponseBody, Bound(MaxLength, Unset));
    ResponseBodyMinDecreased = "response-body-min-decreased", Err, Major, on(ResponseBody, Bound(Min, Decreased));
    ResponseBodyMinItemsDecreased = "response-body-min-items-decreased", Err, Major, on(ResponseBody, Bound(MinItems, Decreased));
    ResponseBodyMinItemsUnset = "response-body-min-items-unset", Err, Major, on(ResponseBody, Bound(MinItems, Unset));
    ResponseBodyMinLengthDecreased = "response-body-min-length-decreased", Err, Major, on(ResponseBody, Bound(MinLength, Decreased));
    ResponseBodyOneOfAdded = "response-body-one-of-added", Err, Major, on(ResponseBody, Member(OneOf, Added));
    ResponseBodyOneOfRemoved = "response-body-one-of-removed", Info, Major, on(ResponseBody, Member(OneOf, Removed));
    ResponseBodyTypeChanged = "response-body-type-changed", Err, Major, on(ResponseBody, TypeChanged);
    ResponseBodyTypeCompatible = "response-body-type-compatible", Info, Major, on(ResponseBody, TypeCompatible);
    ResponseBodyTypeGeneralized = "response-body-type-generalized", Err, Major, on(ResponseBody, TypeGeneralized);
    ResponseBodyTypeSpecialized = "response-body-type-specialized", Info, Major, on(ResponseBody, TypeSpecialized);
    ResponseBodyWrappedInOneOf = "response-body-wrapped-in-one-of", Err, Major, on(ResponseBody, WrappedInOneOf);
    ResponseHeaderAdded = "response-header-added", Info, Minor;
    ResponseHeaderBecameNotNullable = "response-header-became-not-nullable", Info, Patch, on(ResponseHeader, BecameNotNullable);
    ResponseHeaderBecameNullable = "response-header-became-nullable", Err, Major, on(ResponseHeader, BecameNullable);
    ResponseHeaderBecameOptional = "response-header-became-optional", Err, Major;
    ResponseHeaderTypeChanged = "response-header-type-changed", Err, Major, on(ResponseHeader, TypeChanged);
    ResponseHeaderTypeCompatible = "response-header-type-compatible", Info, Patch, on(ResponseHeader, TypeCompatible);
    ResponseHeaderTypeGeneralized = "response-header-type-generalized", Err, Major, on(ResponseHeader, TypeGeneralized);
    ResponseHeaderTypeSpecialized = "response-header-type-specialized", Info, Patch, on(ResponseHeader, TypeSpecialized);
    ResponseMediaTypeAdded = "response-media-type-added", Info, Minor;
    ResponseMediaTypeRemoved = "response-media-type-removed", Err, Major;
    ResponseMediatypeEnumValueRemoved = "response-mediatype-enum-value-removed", Info, Major, on(ResponseBody, EnumValueRemoved);
    ResponseNonSuccessStatusAdded = "response-non-success-status-added", Info, Minor;
    ResponseNonSuccessStatusRemoved = "response-non-success-status-removed", Info, Patch;
    ResponseOptionalPropertyAdded = "response-optional-property-added", Info, Minor;
    ResponseOptionalPropertyBecameNotReadOnly = "response-optional-property-became-not-read-only", Info, Patch;
    ResponseOptionalPropertyBecameNotWriteOnly = "response-optional-property-became-not-write-only", Info, Patch;
    ResponseOptionalPropertyBecameReadOnly = "response-optional-property-became-read-only", Info, Patch;
    ResponseOptionalPropertyBecameWriteOnly = "response-optional-property-became-write-only", Info, Patch;
    ResponseOptionalPropertyRemoved = "response-optional-property-removed", Warn, Major;
    ResponseOptionalWriteOnlyPropertyAdded = "response-optional-write-only-property-added", Info, Minor;
    ResponseOptionalWriteOnlyPropertyRemoved = "response-optional-write-only-property-removed", Info, Major;
    ResponsePropertyAllOfAdded = "response-property-all-of-added", Info, Major, on(ResponseProperty, Member(AllOf, Added));
    ResponsePropertyAllOfAddedAnnotationOnly = "response-property-all-of-added-annotation-only", Info, Patch, on(ResponseProperty, Member(AllOf, AddedAnnotationOnly));
    ResponsePropertyAllOfRemoved = "response-property-all-of-removed", Info, Major, on(ResponseProperty, Member(AllOf, Removed));
    ResponsePropertyAllOfRemovedAnnotationOnly = "response-property-all-of-removed-annotation-only", Info, Patch, on(ResponseProperty, Member(AllOf, RemovedAnnotationOnly));
    ResponsePropertyAnyOfAdded = "response-property-any-of-added", Info, Major, on(ResponseProperty, Member(AnyOf, Added));
    ResponsePropertyAnyOfRemoved = "response-property-any-of-removed", Info, Major, on(ResponseProperty, Member(AnyOf, Removed));
    ResponsePropertyBecameNotNullable = "response-property-became-not-nullable", Info, Major, on(ResponseProperty, BecameNotNullable);
    ResponsePropertyBecameNullable = "response-property-became-nullable", Err, Major, on(ResponseProperty, BecameNullable);
    ResponsePropertyBecameOptional = "response-property-became-optional", Err, Major;
    ResponsePropertyBecameRequired = "response-property-became-required", Info, Major;
    ResponsePropertyDefaultValueAdded = "response-property-default-value-added", Info, Patch, on(ResponseProperty, DefaultValueAdded);
    ResponsePropertyDefaultValueChanged = "response-property-default-value-changed", Info, Patch, on(ResponseProperty, DefaultValueChanged);
    ResponsePropertyDefaultValueRemoved = "response-property-default-value-removed", Info, Patch, on(ResponseProperty, DefaultValueRemoved);
    ResponsePropertyDeprecated = "response-property-deprecated", Info, Minor, on(ResponseProperty, Deprecated);
    ResponsePropertyDeprecatedSunsetInvalid = "response-property-deprecated-sunset-invalid", Err, Major, on(ResponseProperty, DeprecatedSunsetInvalid);
    ResponsePropertyDeprecatedWithSunset = "response-property-deprecated-with-sunset", Info, Minor, on(ResponseProperty, DeprecatedWithSunset);
    ResponsePropertyDiscriminatorAdded = "response-property-discriminator-added", Info, Major, on(ResponseProperty, DiscriminatorAdded);
    ResponsePropertyDiscriminatorMappingAdded = "response-property-discriminator-mapping-added", Info, Major, on(ResponseProperty, DiscriminatorMappingAdded);
    ResponsePropertyDiscriminatorMappingChanged = "response-property-discriminator-mapping-changed", Info, Major, on(ResponseProperty, DiscriminatorMappingChanged);
    ResponsePropertyDiscriminatorMappingDeleted = "response-property-discriminator-mapping-deleted", Info, Major, on(ResponseProperty, DiscriminatorMappingDeleted);
    ResponsePropertyDiscriminatorPropertyNameChanged = "response-property-discriminator-property-name-changed", Info, Major, on(ResponseProperty, DiscriminatorPropertyNameChanged);
    ResponsePropertyDiscriminatorRemoved = "response-property-discriminator-removed", Info, Major, on(ResponseProperty, DiscriminatorRemoved);
    ResponsePropertyEnumValueAdded = "response-property-enum-value-added", Warn, Minor, on(ResponseProperty, EnumValueAdded), on(ResponseBody, EnumValueAdded);
    ResponsePropertyEnumValueRemoved = "response-property-enum-value-removed", Info, Major, on(ResponseProperty, EnumValueRemoved);
    ResponsePropertyMaxIncreased = "response-property-max-increased", Err, Major, on(ResponseProperty, Bound(Max, Increased));
    ResponsePropertyMaxLengthIncreased = "response-property-max-length-increased", Err, Major, on(ResponseProperty, Bound(MaxLength, Increased));
    ResponsePropertyMaxLengthUnset = "response-property-max-length-unset", Err, Major, on(ResponseProperty, Bound(MaxLength, Unset));
    ResponsePropertyMinDecreased = "response-property-min-decreased", Err, Major, on(ResponseProperty, Bound(Min, Decreased));
    ResponsePropertyMinItemsDecreased = "response-property-min-items-decreased", Err, Major, on(ResponseProperty, Bound(MinItems, Decreased));
    ResponsePropertyMinItemsUnset = "response-property-min-items-unset", Err, Major, on(ResponseProperty, Bound(MinItems, Unset));
    ResponsePropertyMinLengthDecreased = "response-property-min-length-decreased", Err, Major, on(ResponseProperty, Bound(MinLength, Decreased));
    ResponsePropertyOneOfAdded = "response-property-one-of-added", Err, Major, on(ResponseProperty, Member(OneOf, Added));
    ResponsePropertyOneOfRemoved = "response-property-one-of-removed", Info, Major, on(ResponseProperty, Member(OneOf, Removed));
    ResponsePropertyPatternAdded = "response-property-pattern-added", Info, Patch, on(ResponseProperty, PatternAdded);
    ResponsePropertyPatternChanged = "response-property-pattern-changed", Info, Patch, on(ResponseProperty, PatternChanged);
    ResponsePropertyPatternRemoved = "response-property-pattern-removed", Info, Patch, on(ResponseProperty, PatternRemoved);
    ResponsePropertyReactivated = "response-property-reactivated", Info, Patch, on(ResponseProperty, Reactivated);
    ResponsePropertyTypeChanged = "response-property-type-changed", Err, Major, on(ResponseProperty, TypeChanged);
    ResponsePropertyTypeCompatible = "response-property-type-compatible", Info, Major, on(ResponseProperty, TypeCompatible);
    ResponsePropertyTypeGeneralized = "response-property-type-generalized", Err, Major, on(ResponseProperty, TypeGeneralized);
    ResponsePropertyTypeSpecialized = "response-property-type-specialized", Info, Major, on(ResponseProperty, TypeSpecialized);
    ResponseRequiredPropertyAdded = "response-required-property-added", Info, Minor;
    ResponseRequiredPropertyBecameNotReadOnly = "response-required-property-became-not-read-only", Info, Patch;
    ResponseRequiredPropertyBecameNotWriteOnly = "response-required-property-became-not-write-only", Warn, Minor;
    ResponseRequiredPropertyBecameReadOnly = "response-required-property-became-read-only", Info, Patch;
    ResponseRequiredPropertyBecameWriteOnly = "response-required-property-became-write-only", Info, Patch;
    ResponseRequiredPropertyRemoved = "response-required-property-removed", Err, Major;
    ResponseRequiredWriteOnlyPropertyAdded = "response-required-write-only-property-added", Info, Minor;
    ResponseRequiredWriteOnlyPropertyRemoved = "response-required-write-only-property-removed", Info, Major;
    ResponseSuccessStatusAdded = "response-success-status-added", Info, Minor;
    ResponseSuccessStatusRemoved = "response-success-status-removed", Err, Major;
    ResponseWriteOnlyPropertyBecameOptional = "response-write-only-property-became-optional", Info, Major;
    ResponseWriteOnlyPropertyBecameRequired = "response-write-only-property-became-required", Info, Major;
    ResponseWriteOnlyPropertyEnumValueAdded = "response-write-only-property-enum-value-added", Info, Minor, on(ResponseWriteOnlyProperty, EnumValueAdded);
    SunsetDeleted = "sunset-deleted", Err, Major;
}

impl Rule {
    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// Whether the rule is this project's own (`generic-*`, `pinterest-*`)
    /// rather than oasdiff's.
    pub fn is_ours(self) -> bool {
        self.id().starts_with("generic-") || self.id().starts_with("pinterest-")
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_ours_explain_themselves() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "{} twice", rule.id());
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
            assert_eq!(
                rule.is_ours(),
                !rule.explanation().is_empty(),
                "{}: our rules are explained, oasdiff's are not",
                rule.id()
            );
            if rule.level() == Level::Err {
                assert_eq!(rule.bump(), Bump::Major, "{}: ERR is major", rule.id());
            }
        }
    }

    #[test]
    fn schema_rules_cover_every_change() {
        let subjects = [
            Subject::RequestBody,
            Subject::RequestProperty,
            Subject::RequestReadOnlyProperty,
            Subject::RequestParameter,
            Subject::RequestParameterProperty,
            Subject::RequestHeaderProperty,
            Subject::ResponseBody,
            Subject::ResponseProperty,
            Subject::ResponseWriteOnlyProperty,
            Subject::ResponseHeader,
        ];
        let uncovered: Vec<Change> = Change::all()
            .into_iter()
            .filter(|c| !subjects.iter().any(|s| Rule::for_schema(*s, *c).is_some()))
            .collect();
        // A `minLength` set where there was none is reported as increased
        // (from 0), as oasdiff does.
        use Bound::*;
        use Move::*;
        assert_eq!(
            uncovered,
            [Change::Bound(MinLength, Set),],
            "changes without a rule at any subject"
        );
        assert_eq!(
            Rule::for_schema(Subject::RequestBody, Change::TypeChanged),
            Some(Rule::RequestBodyTypeChanged)
        );
        assert_eq!(
            Rule::for_schema(
                Subject::ResponseProperty,
                Change::Bound(Bound::MinLength, Move::Unset)
            ),
            Some(Rule::GenericResponsePropertyMinLengthUnset)
        );
        assert_eq!(
            Rule::for_schema(Subject::ResponseBody, Change::PatternAdded),
            None
        );
    }
}
