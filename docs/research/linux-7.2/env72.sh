# source me: Linux 7.2 (GCC build) + rustc-web 1.96 + bindgen 0.71.1/libclang 19
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
KDIR=/root/.cache/rust-for-linux/kernels-proto-7.2/linux-source-7.2
BINDGEN72=/root/.cache/rust-for-linux/toolchains-proto-7.2/bindgen-0.71-clang19/bindgen
MKVARS="RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CLIPPY_DRIVER=/usr/bin/clippy-driver BINDGEN=$BINDGEN72"
