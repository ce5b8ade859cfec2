package nav

// TopSections are what a home page offers as its topics: its children, or,
// while the home page holds a single section and nothing else, that
// section's children (a site whose content sits under content/general/ja/
// offers the sections inside ja/, not one card for general/).
func (n *Node) TopSections() []Link {
	for n != nil && len(n.Children) == 1 && n.Children[0].Section && len(n.Children[0].Children) > 0 {
		n = n.Children[0]
	}
	return n.Listing()
}
