"""The formats, as pure functions of text: PO catalogs (:mod:`.pofile`, :mod:`.po_wrap`,
:mod:`.catalog`, :mod:`.plural`), front matter (:mod:`.frontmatter`, :mod:`.readers`), Markdown
bodies (:mod:`.markdown`, :mod:`.linkify`, :mod:`.shortcodes`), language codes
(:mod:`.languages`), and the checks of a translation against its source (:mod:`.checks`)."""
