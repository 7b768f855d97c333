#!/bin/sh
# Unpack a current Neovim from Debian's next release (trixie) into a private
# prefix, without touching the system, and print the path of a launcher for
# it. Prints nothing (and exits 0) when the packages cannot be had, so the
# tests that use it skip visibly instead of failing.
# Usage: tools/nvim-newer.sh BUILD_DIR
set -u
dir=${1:-build}/nvim-new
launcher=$dir/nvim
if [ -x "$launcher" ]; then echo "$(cd "$dir" && pwd)/nvim"; exit 0; fi
command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || exit 0
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs" "$dir/root" || exit 0
dir=$(cd "$dir" && pwd)
launcher=$dir/nvim
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || exit 0
echo "deb [signed-by=$keyring] http://deb.debian.org/debian trixie main" >"$dir/apt/sources.list"
: >"$dir/apt/status"
opts="-o Dir::Etc::sourcelist=$dir/apt/sources.list -o Dir::Etc::sourceparts=- \
 -o Dir::State::Lists=$dir/apt/lists -o Dir::Cache=$dir/apt/cache \
 -o Dir::State::status=$dir/apt/status -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
timeout 300 apt-get $opts -qq update >/dev/null 2>&1 || exit 0
(cd "$dir/debs" && timeout 300 apt-get $opts -qq download neovim neovim-runtime libluajit-5.1-2 \
  libmsgpack-c2 libtree-sitter0.22 libunibilium4 libuv1t64 libvterm0 lua-lpeg lua-luv libc6 \
  libgcc-s1 libutf8proc3 >/dev/null 2>&1) || exit 0
for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root" || exit 0; done
root=$dir/root
cat >"$launcher" <<EOS
#!/bin/sh
# Neovim from Debian trixie, run with its own C library (see tools/nvim-newer.sh).
export VIMRUNTIME=$root/usr/share/nvim/runtime
exec $root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \\
  --library-path $root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu \\
  $root/usr/bin/nvim --cmd "set rtp+=$root/usr/lib/nvim" "\$@"
EOS
chmod +x "$launcher"
"$launcher" --headless -u NONE -c 'qa!' >/dev/null 2>&1 || { rm -f "$launcher"; exit 0; }
echo "$launcher"
