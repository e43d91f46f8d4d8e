//! `#[derive(Table)]`: a row struct is its table's schema. Each named field is one column
//! of the same name, in field order, stored as its type's [`Cell`] kind; the derive writes
//! the row type's `mynawatch_model::table::Table` impl (column names, writing, reading),
//! so the Parquet writer and reader, the empty frame and the column list all come from the
//! struct and nothing else names a column.
//!
//! Attributes:
//! - on the struct: `#[table(name = "notices")]`, the table's name (a struct without one,
//!   such as `Provenance`, is only ever flattened into others);
//! - on a field: `#[table(flatten)]` (the field's own columns, its type derives `Table`
//!   too; `Option<T>` writes `T::default()` for none and reads back `Some`),
//!   `#[table(flatten, prefix = "hor_")]` (the same, names prefixed), `#[table(added)]` (a
//!   column added after tables were first written: an older file without it reads as the
//!   cell type's `Cell::absent`, which text and optional dates have; a type without one
//!   fails on such a file with "column … is missing", so give a new column such a type).
//!
//! [`Cell`]: ../mynawatch_model/table/trait.Cell.html

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

#[proc_macro_derive(Table, attributes(table))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

#[derive(Default)]
struct FieldAttrs {
    flatten: bool,
    prefix: Option<String>,
    added: bool,
}

fn field_attrs(attrs: &[syn::Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for a in attrs.iter().filter(|a| a.path().is_ident("table")) {
        a.parse_nested_meta(|m| {
            if m.path.is_ident("flatten") {
                out.flatten = true;
            } else if m.path.is_ident("added") {
                out.added = true;
            } else if m.path.is_ident("prefix") {
                out.prefix = Some(m.value()?.parse::<LitStr>()?.value());
            } else {
                return Err(m.error("expected `flatten`, `prefix = \"…\"` or `added`"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn table_name(attrs: &[syn::Attribute]) -> syn::Result<Option<String>> {
    let mut name = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("table")) {
        a.parse_nested_meta(|m| {
            if m.path.is_ident("name") {
                name = Some(m.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(m.error("expected `name = \"…\"`"))
            }
        })?;
    }
    Ok(name)
}

/// `Option<T>` → `Some(T)`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

fn expand(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let ident = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            ident,
            "Table is derived for structs",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(ident, "Table needs named fields"));
    };
    let name = match table_name(&input.attrs)? {
        Some(n) => quote!(#n),
        None => quote!(""),
    };
    let mut columns = Vec::new();
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    let mut builds = Vec::new();
    for f in &fields.named {
        let field = f.ident.as_ref().expect("named field");
        let col = field.to_string();
        let ty = &f.ty;
        let attrs = field_attrs(&f.attrs)?;
        let var = quote::format_ident!("col_{}", field);
        if attrs.flatten && attrs.added {
            return Err(syn::Error::new_spanned(
                field,
                "`added` is for one column; a flattened part's columns are its own fields'",
            ));
        }
        if attrs.flatten {
            let prefix = attrs.prefix.unwrap_or_default();
            let (inner, optional) = match option_inner(ty) {
                Some(t) => (t, true),
                None => (ty, false),
            };
            columns.push(quote! {
                for c in <#inner as ::mynawatch_model::table::Table>::columns() {
                    out.push((::std::format!("{}{}", #prefix, c.0), c.1));
                }
            });
            if optional {
                writes.push(quote! {
                    let fallback = <#inner as ::std::default::Default>::default();
                    let inner: ::std::vec::Vec<&#inner> =
                        rows.iter().map(|r| r.#field.as_ref().unwrap_or(&fallback)).collect();
                    <#inner as ::mynawatch_model::table::Table>::write_columns(
                        &inner, &::std::format!("{}{}", prefix, #prefix), sink);
                });
                builds.push(quote!(#field: ::std::option::Option::Some(#var.next()?)));
            } else {
                writes.push(quote! {
                    let inner: ::std::vec::Vec<&#inner> = rows.iter().map(|r| &r.#field).collect();
                    <#inner as ::mynawatch_model::table::Table>::write_columns(
                        &inner, &::std::format!("{}{}", prefix, #prefix), sink);
                });
                builds.push(quote!(#field: #var.next()?));
            }
            reads.push(quote! {
                let mut #var = <#inner as ::mynawatch_model::table::Table>::read_columns(
                    source, &::std::format!("{}{}", prefix, #prefix))?.into_iter();
            });
        } else {
            let added = attrs.added;
            columns.push(quote! {
                out.push((::std::string::String::from(#col),
                    <#ty as ::mynawatch_model::table::Cell>::KIND));
            });
            writes.push(quote! {
                sink.column(
                    &::std::format!("{}{}", prefix, #col),
                    <#ty as ::mynawatch_model::table::Cell>::KIND,
                    &mut rows.iter().map(|r| ::mynawatch_model::table::Cell::value(&r.#field)),
                );
            });
            reads.push(quote! {
                let mut #var = ::mynawatch_model::table::read_cells::<#ty>(
                    source, &::std::format!("{}{}", prefix, #col), #added)?.into_iter();
            });
            builds.push(quote!(#field: #var.next()?));
        }
    }
    Ok(quote! {
        impl ::mynawatch_model::table::Table for #ident {
            const NAME: &'static str = #name;

            fn columns() -> ::std::vec::Vec<(::std::string::String, ::mynawatch_model::table::Kind)> {
                let mut out = ::std::vec::Vec::new();
                #(#columns)*
                out
            }

            fn write_columns(
                rows: &[&Self],
                prefix: &str,
                sink: &mut dyn ::mynawatch_model::table::Sink,
            ) {
                #(#writes)*
            }

            fn read_columns(
                source: &dyn ::mynawatch_model::table::Source,
                prefix: &str,
            ) -> ::std::result::Result<::std::vec::Vec<Self>, ::mynawatch_model::table::CellError> {
                #(#reads)*
                let rows = source.rows();
                let built: ::std::option::Option<::std::vec::Vec<Self>> = (0..rows)
                    .map(|_| ::std::option::Option::Some(#ident { #(#builds,)* }))
                    .collect();
                built.ok_or_else(|| ::mynawatch_model::table::CellError::Short {
                    column: ::std::format!("{}{}", prefix, Self::NAME),
                })
            }
        }
    })
}
