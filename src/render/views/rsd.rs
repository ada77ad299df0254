//! Really Simple Discovery (`action=rsd`): where this wiki's API is, as MediaWiki says it.

/// The RSD document of a wiki at `origin` (scheme and host, no trailing slash).
pub fn document(origin: &str) -> String {
    let origin = escape(origin);
    format!(
        "<?xml version=\"1.0\"?>\n<rsd version=\"1.0\" xmlns=\"http://archipelago.phrasewise.com/rsd\">\n\
         <service>\n<apis>\n\
         <api name=\"MediaWiki\" preferred=\"true\" apiLink=\"{origin}/w/api.php\" blogID=\"\">\n\
         <settings>\n<docs>https://www.mediawiki.org/wiki/Special:MyLanguage/API:Main_page</docs>\n\
         <setting name=\"OAuth\">false</setting>\n</settings>\n</api>\n</apis>\n\
         <engineName>MediaWiki</engineName>\n\
         <engineLink>https://www.mediawiki.org/</engineLink>\n\
         <homePageLink>{origin}/</homePageLink>\n</service>\n</rsd>\n"
    )
}

/// `text` with the five XML specials escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_points_at_the_api_and_escapes_the_origin() {
        let rsd = document("https://wiki.example");
        assert!(
            rsd.contains("apiLink=\"https://wiki.example/w/api.php\""),
            "{rsd}"
        );
        assert!(rsd.contains("<engineName>MediaWiki</engineName>"), "{rsd}");
        let odd = document("http://a\"b<c");
        assert!(odd.contains("http://a&quot;b&lt;c/w/api.php"), "{odd}");
    }
}
