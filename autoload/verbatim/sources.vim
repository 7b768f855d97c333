vim9script
# verbatim#sources: :Verbatim sources, the documents the server checks the
# buffer against.

export def Names(buf: number): list<string>
  return []
enddef

export def Run(args: list<string>)
  echo 'verbatim: :Verbatim sources is not available in Vim yet'
enddef
