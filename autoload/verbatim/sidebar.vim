vim9script
# verbatim#sidebar: the related-passages sidebar.

export def Toggle()
  echo 'verbatim: the sidebar is not available in Vim yet'
enddef
